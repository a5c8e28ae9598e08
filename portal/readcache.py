"""Reads that many people make alike, kept in the shared cache until any content changes.

A signed-in page repeats the same queries for everyone who stands where its
reader stands: the upcoming meetings of the Fachgruppe, a space's newest
threads, a project's page. Those reads are cached under a key made of

- the *content generation*, a random token replaced (now and again after the
  commit) whenever any row of the portal's content apps is saved or deleted, so
  nothing cached survives a change;
- the reader's *standing* from the rule book (groups.access.standing_key: the
  rings they are inside, the spaces they coordinate, staff or not), so a read is
  shared only by people who see exactly the same;
- the read's own arguments.

A write that sends no signal (`QuerySet.update()`, `bulk_create()`) in a
service calls `content_changed()` itself. What depends on one person (their
answer to an invitation, their own join request) is never part of a cached
read. Entries also expire after a minute,
which bounds how long a time-dependent read ("upcoming"), a change made behind
the ORM's back (`QuerySet.update()`) or one made while the cache was down can be
stale. When the cache does not answer (Redis down), reads are made directly.
"""

import hashlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable

import redis
from django.core.cache import cache
from django.db import transaction

from groups import access

logger = logging.getLogger(__name__)

GENERATION_KEY = "readcache:generation"
READ_SECONDS = 60
MAX_PART = 80
# What a cache that does not answer raises: Redis in production, files for `make run`.
CACHE_ERRORS = (redis.RedisError, OSError)
# The apps whose rows pages show; a save or delete of any of their models is a change of content.
CONTENT_APPS = frozenset({"groups", "meetings", "projects"})
# Saves that change nothing a page shows (Django records every sign-in on the account).
BOOKKEEPING_FIELDS = frozenset({"last_login"})


# After the cache failed once, this process leaves it alone for a while (a circuit breaker, as
# portal/notifications/events.py has for the broker): a hanging Redis would otherwise cost every
# cache call its socket timeout. Entries written before the outage expire on their own.
REST_SECONDS = 30
_resting_until = 0.0


def _call(operation, *args, default=None, **kwargs):
    global _resting_until  # a per-process circuit breaker, nothing more
    if time.monotonic() < _resting_until:
        return default
    try:
        return operation(*args, **kwargs)
    except CACHE_ERRORS:
        _resting_until = time.monotonic() + REST_SECONDS
        logger.warning("The cache does not answer; reading directly for %s s", REST_SECONDS, exc_info=True)
        return default


def cached(key: str):
    """The cache's value for `key`, or None (also when the cache does not answer)."""
    ahead = getattr(_this_request, "ahead", None)
    if ahead and key in ahead:
        return ahead.pop(key)
    return _call(cache.get, key)


def keep(key: str, value, *, seconds: int = READ_SECONDS) -> None:
    _drop_ahead([key])
    _call(cache.set, key, value, seconds)


def forget(keys: list[str]) -> None:
    if keys:
        _drop_ahead(keys)
        _call(cache.delete_many, keys)


# Within one request the generation is read from the cache once (a page makes several shared
# reads); a change made by the request itself replaces it here too. Outside requests (Celery
# tasks, commands) every read asks the cache.
_this_request = threading.local()


def begin_request(**_signal_arguments) -> None:
    _this_request.active, _this_request.generation, _this_request.ahead = True, None, {}


def end_request(**_signal_arguments) -> None:
    _this_request.active, _this_request.generation, _this_request.ahead = False, None, {}


def read_ahead(keys: list[str]) -> None:
    """Reads the content generation and `keys` (a person's values that the page will ask for) in one
    round trip, before the page's first shared read would read the generation alone. Each value
    read ahead answers this request's first `cached()` of its key; a later one, or one after the
    request kept or forgot the key, asks the cache again. Only in requests, and only while this
    request has not read the generation yet."""
    if not getattr(_this_request, "active", False) or _this_request.generation is not None:
        return
    found = _call(cache.get_many, [GENERATION_KEY, *keys])
    if found is None or found.get(GENERATION_KEY) is None:
        return
    _this_request.generation = found[GENERATION_KEY]
    _this_request.ahead = {key: found.get(key) for key in keys}


def _drop_ahead(keys) -> None:
    ahead = getattr(_this_request, "ahead", None)
    if ahead:
        for key in keys:
            ahead.pop(key, None)


def generation() -> str | None:
    """The current content generation; None when the cache does not answer."""
    if getattr(_this_request, "active", False):
        if _this_request.generation is None:
            _this_request.generation = _current_generation()
        return _this_request.generation
    return _current_generation()


def cached_with_generation(key: str) -> tuple[str | None, object]:
    """The current content generation and the cache's value for `key`, in one round trip where
    this request has not read the generation yet (the header's unread count is read first on every
    page). (None, None) when the cache does not answer."""
    if getattr(_this_request, "active", False) and _this_request.generation is not None:
        return _this_request.generation, cached(key)
    found = _call(cache.get_many, [GENERATION_KEY, key])
    if found is None:
        return None, None
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    if getattr(_this_request, "active", False):
        _this_request.generation = current
    return current, found.get(key)


def _current_generation() -> str | None:
    current = _call(cache.get, GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        # add(): two processes starting at once agree on one token.
        added = _call(cache.add, GENERATION_KEY, current, timeout=None)
        if added is None:
            return None
        if not added:
            current = _call(cache.get, GENERATION_KEY) or current
    return current


def _replace_generation() -> None:
    current = uuid.uuid4().hex
    _call(cache.set, GENERATION_KEY, current, timeout=None)
    if getattr(_this_request, "active", False):
        _this_request.generation = current


def content_changed(*, sender=None, update_fields=None, **_signal_arguments) -> None:
    """Signal receiver: forgets every cached read, now and again after the commit (a request in
    between may have cached what it read before the change)."""
    if sender is not None and sender._meta.app_label not in CONTENT_APPS:
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    _replace_generation()
    connection = transaction.get_connection()
    # Once per transaction however many rows it writes; in autocommit the row is committed already.
    if connection.in_atomic_block and not any(
        callback is _replace_generation for _savepoints, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_replace_generation)


# Stands for the reader's CSRF token in kept markup (a token is 64 letters and digits, so this never
# occurs in one); other per-reader placeholders have the same shape.
TOKEN_PLACEHOLDER = "\x00csrf-token\x00"  # noqa: S105 - a marker, not a secret
_PLACEHOLDER = re.compile("\x00[a-z-]+\x00")


def put_back(markup: str, values: dict[str, str]) -> str:
    """Kept markup with its placeholders replaced by this reader's `values`, in one pass, so a value
    (a name someone typed) is never itself searched for placeholders."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(0), match.group(0)), markup)


def key_for(name: str, parts, user) -> str | None:
    """The cache key of a shared read or fragment; None when the cache does not answer."""
    current = generation()
    if current is None:
        return None
    standing = access.standing_key(user) if user is not None else "all"
    # A long part (an address's slug as a visitor typed it) or one with spaces (a moment) is kept by
    # its digest.
    parts = [
        part if len(part) <= MAX_PART and part.isprintable() and " " not in part else digest(part)
        for part in map(str, parts)
    ]
    return ":".join(["readcache", name, current, standing, *parts])


def digest(*parts: str) -> str:
    """A fixed-length key part for what a visitor typed (an address, a search): cache keys must
    not carry spaces or grow without bound."""
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()


def shared_read[T](name: str, *parts, build: Callable[[], T], user=None) -> T:
    """`build()`'s result, cached for everyone with `user`'s standing (or for everyone, without
    `user`) until the content changes. `parts` are the read's arguments (ids, numbers). A result
    of None is not kept (so `build=lambda: None` only looks the read up)."""
    key = key_for(name, parts, user)
    if key is None:
        return build()
    value = cached(key)
    if value is not None:
        return value
    value = build()
    if value is not None:
        keep(key, value)
    return value


def remember(name: str, *parts, user=None, value) -> None:
    """Keeps `value` as the shared read `name` (for reads that decide only after reading whether
    what they read may be shared)."""
    key = key_for(name, parts, user)
    if key is not None:
        keep(key, value)
