"""One page of a list: every list page of the portal shows at most PAGE_SIZE rows.

The page is read with one query of PAGE_SIZE + 1 rows (the extra one says
whether a next page exists) and the total with a capped count that reads at
most COUNT_CAP + 1 rows, so neither grows with the table. Invalid page
numbers ("x", "0", a page past the end) answer 404, as a missing object does.
The links keep the list's other GET parameters (its filters).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

PAGE_PARAMETER = "seite"
PAGE_SIZE = 25
COUNT_CAP = 10_000
MAX_PAGE = 1_000_000


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool
    count: int | None
    page_size: int
    query: str = ""
    parameter: str = PAGE_PARAMETER

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def object_list(self) -> list:
        return self.rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def count_capped(self) -> bool:
        """More rows than the count reads: the page says "mehr als 10.000"."""
        return self.count is not None and self.count > COUNT_CAP

    @property
    def num_pages(self) -> int | None:
        """The number of pages, unless the count is capped or not made."""
        if self.count is None or self.count_capped:
            return None
        return max(1, -(-self.count // self.page_size))

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.rows else 0


def page_number(request: HttpRequest, *, parameter: str = PAGE_PARAMETER) -> int:
    """The requested page (1 when none is given); anything but a positive whole number is a 404.

    So is a number past MAX_PAGE: no list has that many pages, and its offset would overflow
    the database's integers.
    """
    value = request.GET.get(parameter)
    if value is None or value == "":
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > 7 or not 1 <= int(value) <= MAX_PAGE:
        raise Http404
    return int(value)


def query_without_page(request: HttpRequest, *, parameter: str = PAGE_PARAMETER) -> str:
    """The list's GET parameters without the page number, for the pagination links."""
    query = request.GET.copy()
    query.pop(parameter, None)
    return query.urlencode()


def capped_count(rows: QuerySet | Sequence) -> int:
    """The number of rows, counted up to COUNT_CAP + 1 (a subquery with LIMIT, never a full count)."""
    if isinstance(rows, QuerySet):
        return rows.order_by()[: COUNT_CAP + 1].count()
    return len(rows)


def paginate(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    *,
    page_size: int = PAGE_SIZE,
    parameter: str = PAGE_PARAMETER,
    count: bool = True,
) -> Page:
    """One page of `rows` (an ordered queryset or a list) for the request's page number.

    With count=False no count is made (the page shows only "Seite n").
    """
    number = page_number(request, parameter=parameter)
    offset = (number - 1) * page_size
    window = list(rows[offset : offset + page_size + 1])
    if number > 1 and not window:
        raise Http404
    return Page(
        rows=window[:page_size],
        number=number,
        has_next=len(window) > page_size,
        count=capped_count(rows) if count else None,
        page_size=page_size,
        query=query_without_page(request, parameter=parameter),
        parameter=parameter,
    )
