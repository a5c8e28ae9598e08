"""A note, outside the database transaction, of every message that has left.

A worker may die between sending a message and committing that it did. The
note (one cache write per message, in Redis in production) lets the recovery
tell the sent from the unsent of a batch that never finished, so the sent are
not mailed twice and the unsent are not lost.
"""

from collections.abc import Iterable

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

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


class Notebook:
    """The notes of one batch of mails, written through one connection.

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

    def __init__(self, *, namespace: str = DEFAULT_NAMESPACE):
        self.namespace = namespace
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
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        elif self._connection is not None:
            self._discard()
