"""The stretch of time a dashboard or a report looks at: whole days in the portal's time zone."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

# A chart of more than ten years of months would be unreadable, and the queries grow with it.
MAX_MONTHS = 120


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included."""

    first: datetime.date
    last: datetime.date

    @property
    def start_at(self) -> datetime.datetime:
        return midnight(self.first)

    @property
    def end_at(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return midnight(self.last + datetime.timedelta(days=1))

    @cached_property
    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        months, month = [], month_start(self.first)
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    def range(self, field: str) -> dict:
        """The lookups that keep a datetime field inside the period."""
        return {f"{field}__gte": self.start_at, f"{field}__lt": self.end_at}

    def date_range(self, field: str) -> dict:
        return {f"{field}__gte": self.first, f"{field}__lte": self.last}


def midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of the day in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def default_period(*, today: datetime.date | None = None) -> Period:
    """The last twelve months: from the first of the month eleven months back up to today."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return Period(first=first, last=today)


def year_period(year: int) -> Period:
    return Period(first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31))
