"""Dates and times as people read them, in the active language (the names live in portal/formats).

Templates use the named formats directly (`|date:"WEEKDAY_DATE_FORMAT"`) and
`|period` (portal_dates) for a span; Python code (forms, mails) calls these.

One style per context (README.md, "Dates"), so that a page never shows the same kind of
moment in two styles:

- when a meeting or event takes place (headings, the meeting page, mails): `period`, with the
  weekday ("Dienstag, 1. Dezember 2026, 10:00" to "12:00 Uhr"), `day` for a whole day;
- a moment named in running text or a meta line ("Veröffentlicht am …", "Ihre Anfrage vom …"):
  DATE_FORMAT, or DATETIME_CLOCK_FORMAT where the hour matters ("12. September 2026, 22:41 Uhr");
- rows of tables and lists, histories, the headers of posts and comments, digests: SHORT_DATE_FORMAT
  and SHORT_DATETIME_FORMAT ("27.09.2026 22:41"), compact and easy to compare down a column;
- the notification centre: `relative` ("vor 5 Minuten", "gestern, 22:41 Uhr", then the date), the
  exact moment in the element's title;
- machines (`<time datetime>`, form values, feeds): `machine_time` and ISO formats.

A list renders hundreds of periods, so the named formats are compiled once per
language (the format looked up, split into its parts, the day and month names
translated) instead of being resolved and parsed on every call as
django.utils.formats.date_format does; the text is the same.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.utils import dateformat, timezone
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format, get_format
from django.utils.timesince import timesince
from django.utils.translation import get_language, pgettext

# The format characters the portal's named formats use, as fields of a str.format template.
_FIELDS = {
    "j": "{day}",
    "d": "{day:02d}",
    "n": "{month}",
    "m": "{month:02d}",
    "Y": "{year:04d}",
    "H": "{hour:02d}",
    "G": "{hour}",
    "i": "{minute:02d}",
    "l": "{weekday}",
    "D": "{weekday_short}",
    "F": "{month_name}",
}


@dataclass(frozen=True)
class _Compiled:
    template: str
    weekdays: tuple[str, ...]
    weekdays_short: tuple[str, ...]
    months: tuple[str, ...]

    def format(self, value: datetime.date) -> str:
        is_datetime = isinstance(value, datetime.datetime)
        return self.template.format(
            day=value.day,
            month=value.month,
            year=value.year,
            hour=value.hour if is_datetime else 0,
            minute=value.minute if is_datetime else 0,
            weekday=self.weekdays[value.weekday()],
            weekday_short=self.weekdays_short[value.weekday()],
            month_name=self.months[value.month],
        )


@lru_cache(maxsize=128)
def _compiled(format_name: str, language: str) -> _Compiled | None:
    """A named format in `language` (the active one when this is called) as a template, or None
    when it uses a character the template does not know (date_format then does the work)."""
    pieces = []
    for index, piece in enumerate(
        dateformat.re_formatchars.split(str(get_format(format_name, lang=language)))
    ):
        if index % 2:
            if piece not in _FIELDS:
                return None
            pieces.append(_FIELDS[piece])
        else:
            pieces.append(dateformat.re_escaped.sub(r"\1", piece).replace("{", "{{").replace("}", "}}"))
    return _Compiled(
        template="".join(pieces),
        weekdays=tuple(str(WEEKDAYS[day]) for day in range(7)),
        weekdays_short=tuple(str(WEEKDAYS_ABBR[day]) for day in range(7)),
        months=("", *(str(MONTHS[month]) for month in range(1, 13))),
    )


def _format(value: datetime.date, format_name: str, language: str) -> str:
    compiled = _compiled(format_name, language)
    if compiled is None:
        return date_format(value, format_name)
    return compiled.format(value)


@lru_cache(maxsize=8)
def _between(language: str) -> str:
    return pgettext("a period from one moment to another", "%(start)s bis %(end)s")


def period(starts_at: datetime.datetime, ends_at: datetime.datetime | None = None) -> str:
    """A day with its hours: "Dienstag, 1. Dezember 2026, 10:00 to 12:00 Uhr" in German (an en dash
    between the times), "Tuesday, 1 December 2026, 10:00 to 12:00" in English.

    In the portal's time zone; a span over several days names both days.
    """
    language = get_language()
    zone = timezone.get_current_timezone()
    start = starts_at.astimezone(zone)
    if ends_at is None:
        return _format(start, "WEEKDAY_DATETIME_CLOCK_FORMAT", language)
    end = ends_at.astimezone(zone)
    if end.date() == start.date():
        clock = _format(end, "CLOCK_TIME_FORMAT", language)
        return f"{_format(start, 'WEEKDAY_DATETIME_FORMAT', language)}–{clock}"
    return _between(language) % {
        "start": _format(start, "WEEKDAY_DATETIME_CLOCK_FORMAT", language),
        "end": _format(end, "WEEKDAY_DATETIME_CLOCK_FORMAT", language),
    }


def relative(value: datetime.datetime, *, now: datetime.datetime | None = None) -> str:
    """How long ago, for the notification centre: "vor 5 Minuten" within the hour, "heute, 09:12 Uhr",
    "gestern, 22:41 Uhr", and before that the date ("12. September 2026")."""
    zone = timezone.get_current_timezone()
    now = (now or timezone.now()).astimezone(zone)
    moment = value.astimezone(zone)
    if now - moment < datetime.timedelta(minutes=1):
        return pgettext("a moment ago", "gerade eben")
    if now - moment < datetime.timedelta(hours=1):
        return pgettext("a moment ago", "vor %(time)s") % {"time": timesince(moment, now, depth=1)}
    language = get_language()
    clock = _format(moment, "CLOCK_TIME_FORMAT", language)
    if moment.date() == now.date():
        return pgettext("a moment earlier today", "heute, %(time)s") % {"time": clock}
    if moment.date() == now.date() - datetime.timedelta(days=1):
        return pgettext("a moment yesterday", "gestern, %(time)s") % {"time": clock}
    return date_format(moment.date(), "DATE_FORMAT")


def day(value: datetime.date | datetime.datetime) -> str:
    """ "Dienstag, 1. Dezember 2026" / "Tuesday, 1 December 2026"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return _format(value, "WEEKDAY_DATE_FORMAT", get_language())


def machine_time(value: datetime.date | datetime.datetime | None) -> str:
    """The machine-readable form of a `<time>` element: a date as YYYY-MM-DD, a moment to the second
    with its offset in the portal's time zone; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()
