"""A note, outside the database transaction, of every message that has left.

A worker may die between sending a message and committing that it did. The
note (one cache write per message, in Redis in production) lets the recovery
tell the sent from the unsent of a batch that never finished, so the sent are
not mailed twice and the unsent are not lost.
"""

from collections.abc import Iterable

from django.core.cache import cache

_TTL_SECONDS = 7 * 24 * 60 * 60


def _key(delivery_id: int) -> str:
    return f"notifications:sent:{delivery_id}"


def note_sent(delivery_id: int) -> None:
    cache.set(_key(delivery_id), 1, timeout=_TTL_SECONDS)


def which_were_sent(delivery_ids: Iterable[int]) -> set[int]:
    keys = {_key(pk): pk for pk in delivery_ids}
    return {keys[key] for key in cache.get_many(list(keys))}


def forget(delivery_ids: Iterable[int]) -> None:
    cache.delete_many([_key(pk) for pk in delivery_ids])
