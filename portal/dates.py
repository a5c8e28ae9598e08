"""Dates and times as people read them, in the active language (the names live in portal/formats).

Templates use the named formats directly (`|date:"WEEKDAY_DATE_FORMAT"`) and
`|period` (portal_dates) for a span; Python code (forms, mails) calls these.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext


def period(starts_at: datetime.datetime, ends_at: datetime.datetime | None = None) -> str:
    """A day with its hours: "Dienstag, 1. Dezember 2026, 10:00 to 12:00 Uhr" in German (an en dash
    between the times), "Tuesday, 1 December 2026, 10:00 to 12:00" in English.

    In the portal's time zone; a span over several days names both days.
    """
    start = timezone.localtime(starts_at)
    if ends_at is None:
        return date_format(start, "WEEKDAY_DATETIME_CLOCK_FORMAT")
    end = timezone.localtime(ends_at)
    if end.date() == start.date():
        return f"{date_format(start, 'WEEKDAY_DATETIME_FORMAT')}–{time_format(end, 'CLOCK_TIME_FORMAT')}"
    return pgettext("a period from one moment to another", "%(start)s bis %(end)s") % {
        "start": date_format(start, "WEEKDAY_DATETIME_CLOCK_FORMAT"),
        "end": date_format(end, "WEEKDAY_DATETIME_CLOCK_FORMAT"),
    }


def day(value: datetime.date | datetime.datetime) -> str:
    """ "Dienstag, 1. Dezember 2026" / "Tuesday, 1 December 2026"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "WEEKDAY_DATE_FORMAT")
