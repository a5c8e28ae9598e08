"""A note, outside the database transaction, of every message that has left.

A worker may die between sending a message and committing that it did. The
note (one cache write per message, in Redis in production) lets the recovery
tell the sent from the unsent of a batch that never finished, so the sent are
not mailed twice and the unsent are not lost.
"""

from collections.abc import Iterable

from django.core.cache import cache

_TTL_SECONDS = 7 * 24 * 60 * 60


# Each kind of delivery row keeps its ids apart: notification deliveries by default,
# "subscriptions" for the mails to public subscribers.
DEFAULT_NAMESPACE = "notifications"


def _key(delivery_id: int, namespace: str) -> str:
    return f"{namespace}:sent:{delivery_id}"


def note_sent(delivery_id: int, *, namespace: str = DEFAULT_NAMESPACE) -> None:
    cache.set(_key(delivery_id, namespace), 1, timeout=_TTL_SECONDS)


def which_were_sent(delivery_ids: Iterable[int], *, namespace: str = DEFAULT_NAMESPACE) -> set[int]:
    keys = {_key(pk, namespace): pk for pk in delivery_ids}
    return {keys[key] for key in cache.get_many(list(keys))}


def forget(delivery_ids: Iterable[int], *, namespace: str = DEFAULT_NAMESPACE) -> None:
    cache.delete_many([_key(pk, namespace) for pk in delivery_ids])
