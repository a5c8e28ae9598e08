"""A note, outside the claim's transaction, of every message that has left.

A worker may die between sending a message and committing that it did. The
note lets the recovery tell the sent from the unsent of a batch that never
finished, so the sent are not mailed twice and the unsent are not lost. It is
written twice: in the cache (Redis in production), the moment each message has
left, and on the claimed rows themselves in PostgreSQL (marked sent, committed on
their own, every ROW_NOTES_EVERY messages), which a restart of Redis without
persistence cannot take away.
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import Error
from django.db import connection as database
from django.db.models import QuerySet

logger = logging.getLogger(__name__)

_TTL_SECONDS = 7 * 24 * 60 * 60

# A row note per message cost the 10,000-member fan-out a third of its time (one commit per mail,
# 1.49 x bare Django's floor against 1.20 x); every tenth keeps it near the floor. Only a worker
# killed *and* Redis wiped before its claims expire can then repeat mails: at most this many.
ROW_NOTES_EVERY = 10


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


class Notebook:
    """The notes of one batch of mails: on their rows, and in the cache through one connection.

    `rows` are the batch's claimed rows and `sent` what marks them sent: every
    ROW_NOTES_EVERY notes, `note()` updates the rows noted since the last time,
    outside any transaction, so the mark is committed before the next message
    goes. While the notebook is open those commits do not wait for the disk
    (synchronous_commit off): a worker's death does not touch them, only a crash
    of PostgreSQL itself within a second could, and the cache's note covers that.
    A database that fails the rows' note leaves it to the cache's note and to the
    caller's marking afterwards, which also marks the rows noted since.

    On Redis each note is written to the socket the moment its message has
    left, and its answer is read only after the next message has left (or on
    `close()`): a batch does not wait for a round trip per mail, yet a note is
    in the kernel's hands before the next mail goes, so a worker killed at any
    point leaves at most the one message in flight unnoted, as with
    `note_sent`. A failing Redis raises from `note()` or `close()`, one message
    later than `note_sent` would: both messages have left and must be counted
    as sent by the caller. Other cache backends write each note with
    `note_sent`.
    """

    def __init__(self, *, namespace: str = DEFAULT_NAMESPACE, rows: QuerySet, sent: dict):
        self.namespace = namespace
        self._rows = rows
        self._sent = sent
        self._not_on_rows: list[int] = []
        self._connection = None
        self._awaiting = False
        self._pool = None
        self._cache = caches["default"]
        if isinstance(self._cache, RedisCache):
            # Django's RedisCache has no public way to its client.
            client = self._cache._cache
            self._pool = client.get_client(write=True).connection_pool
            # What cache.get_many in which_were_sent reads back.
            self._value = client._serializer.dumps(1)

    def note(self, delivery_id: int) -> None:
        self._not_on_rows.append(delivery_id)
        if len(self._not_on_rows) >= ROW_NOTES_EVERY:
            rows, self._not_on_rows = self._not_on_rows, []
            try:
                self._rows.filter(pk__in=rows).update(**self._sent)
            except Error:
                logger.warning("the database did not take sent mails' notes", extra={"rows": rows})
        key = _key(delivery_id, self.namespace)
        if self._pool is None:
            note_sent(delivery_id, namespace=self.namespace)
            return
        if self._connection is None:
            self._connection = self._pool.get_connection()
        try:
            self._connection.send_command(
                "SET", self._cache.make_and_validate_key(key), self._value, "EX", _TTL_SECONDS
            )
            self._read_previous()
            self._awaiting = True
        except BaseException:
            self._discard()
            raise

    def _read_previous(self) -> None:
        if self._awaiting:
            self._awaiting = False
            self._connection.read_response()

    def close(self) -> None:
        """Waits for the last answer and gives the connection back; raises when Redis failed it."""
        if self._connection is None:
            return
        try:
            if self._awaiting:
                self._awaiting = False
                self._connection.read_response()
        except BaseException:
            self._discard()
            raise
        self._pool.release(self._connection)
        self._connection = None

    def _discard(self) -> None:
        """A connection whose answers are out of step is never used again."""
        connection, self._connection, self._awaiting = self._connection, None, False
        connection.disconnect()
        self._pool.release(connection)

    def __enter__(self) -> "Notebook":
        _synchronous_commit("SET synchronous_commit TO off")
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        try:
            if exc_type is None:
                self.close()
            elif self._connection is not None:
                self._discard()
        finally:
            _synchronous_commit("RESET synchronous_commit")


def _synchronous_commit(statement: str) -> None:
    """Only the notes commit without waiting for the disk: the batch's other writes wait as usual."""
    try:
        with database.cursor() as cursor:
            cursor.execute(statement)
    except Error:
        # A database that is away takes no notes either; a new connection starts with the default.
        logger.warning("synchronous_commit not changed", extra={"statement": statement})
