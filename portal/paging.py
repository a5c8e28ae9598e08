"""Pages of long lists whose count stays cheap: counted only up to a cap ("mehr als 10.000")."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` + 1 rows (`COUNT(*)` over `LIMIT cap + 1`).

    Beyond the cap the list says "more than `cap`" and the pages end there: the
    rows past it are reached by narrowing the list, not by paging.
    """

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Any cap + 1 rows will do: without the order the database picks the cheapest.
            return self.object_list.order_by()[: self.cap + 1].count()
        return min(len(self.object_list), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def cap_display(self) -> str:
        """The cap as the visitor's language writes numbers (10.000, 10,000)."""
        return number_format(self.cap, force_grouping=True)
