"""Cursor pagination: each page ends with an opaque, signed cursor that says where the next begins.

Lists are read by keyset ("the rows after this one in this order"), so a page
costs the same at the start and deep in a list and nothing is skipped or
repeated when rows are added meanwhile. The keys of an order must not be NULL
and must end with the primary key. A ranked search (a fixed list of ids, at
most projects.catalogue.SEARCH_CAP + 1) is paged by position in that list
instead. A cursor is signed, so a changed or invented one is refused (400),
never turned into a query.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_SALT = "api.cursor"


class CursorError(ValueError):
    pass


def _bad() -> CursorError:
    return CursorError(_("Der Cursor ist ungültig. Bitte folgen Sie dem Wert „next“ der vorigen Seite."))


@dataclass(frozen=True)
class Key:
    field: str
    descending: bool = True


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(values: list) -> str:
    return signing.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], salt=_SALT)


def _decode(cursor: str, *, length: int) -> list:
    try:
        values = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise _bad() from None
    if not isinstance(values, list) or len(values) != length:
        raise _bad()
    return values


def _after(keys: Sequence[Key], values: list) -> Q:
    """Rows after `values` in the order of `keys`: (a < x) or (a = x and b < y) or ..."""
    rule = Q()
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        lookup = "lt" if key.descending else "gt"
        rule |= equal & Q(**{f"{key.field}__{lookup}": value})
        equal &= Q(**{key.field: value})
    return rule


def keyset_page(queryset: QuerySet, *, keys: Sequence[Key], cursor: str | None, limit: int) -> Page:
    ordered = queryset.order_by(*(F(k.field).desc() if k.descending else F(k.field).asc() for k in keys))
    if cursor:
        ordered = ordered.filter(_after(keys, _decode(cursor, length=len(keys))))
    rows = list(ordered[: limit + 1])
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    last = rows[limit - 1]
    return Page(items=rows[:limit], next_cursor=_encode([_value(last, key.field) for key in keys]))


def _value(row, field: str):
    return getattr(row, field)


def position_page(rows: Sequence, *, cursor: str | None, limit: int) -> Page:
    """A page of a fixed, already ordered sequence (a ranked search): the cursor is the position."""
    start = 0
    if cursor:
        (start,) = _decode(cursor, length=1)
        if not isinstance(start, int) or start < 0:
            raise _bad()
    items = list(rows[start : start + limit + 1])
    if len(items) <= limit:
        return Page(items=items, next_cursor=None)
    return Page(items=items[:limit], next_cursor=_encode([start + limit]))
