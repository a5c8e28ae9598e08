"""Reads of the meetings as a calendar: iCalendar files (one meeting, a person's feed, an invitation's
attachment), the feed behind its secret address and the month view; the feed's token is written in
meetings.calendar.

Everything here works on meetings the caller already filtered through
groups.access; the video link is written only for people
access.meetings_with_visible_link allows.
"""

import calendar as month_grid
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from groups import access
from meetings.models import AgendaItem, CalendarToken, Meeting, Participant
from portal import readcache

BERLIN = ZoneInfo(settings.TIME_ZONE)
# How long a rendered personal feed is kept under its ETag (any change gives a new ETag).
FEED_CACHE_SECONDS = 6 * 3600

_STATUS = {
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.TENTATIVE: "TENTATIVE",
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
}


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life, so calendars update the event instead of adding one."""
    return f"meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname}"


def meeting_calendar_uid(meeting: Meeting) -> str:
    """RFC 7986's UID of the calendar file of one meeting (download and invitation alike): the same
    in every copy, so a client recognises the calendar it already imported."""
    return f"calendar-meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname}"


def feed_calendar_uid(user) -> str:
    """RFC 7986's UID of a person's feed: it stays when the secret address is renewed."""
    return f"calendar-feed-{user.pk}@{urlsplit(settings.SITE_URL).hostname}"


def calendar_meetings(queryset: QuerySet) -> QuerySet:
    """Meetings a calendar can show (those with a date), with what their events print."""
    return (
        queryset.filter(starts_at__isnull=False)
        .select_related("space")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.only("meeting_id", "title")))
    )


def ics_for(meetings, *, user, name: str, uid: str, with_link: set[int] | None = None) -> bytes:
    """An iCalendar file with one VEVENT per meeting and the VTIMEZONE they need.

    `with_link` (the ids whose video link the person sees) when the caller already asked.
    """
    meetings = list(meetings)
    if with_link is None:
        with_link = access.meetings_with_visible_link(user, meetings)
    return _ics(
        [_event(meeting, with_link=meeting.pk in with_link) for meeting in meetings], name=name, uid=uid
    )


def ics_for_guest(participant, *, method: str = "REQUEST") -> bytes:
    """The invitation's calendar file for a guest without an account (a meeting with a date)."""
    return ics_invitation(participant, with_link=access.guest_sees_meeting_link(participant), method=method)


def ics_invitation(participant, *, with_link: bool, method: str = "REQUEST") -> bytes:
    """The calendar file a mail carries to one participant: an iTIP REQUEST, or CANCEL once cancelled.

    The same UID as every other calendar file of the meeting, so a calendar
    updates (or removes) the entry it already has; the SEQUENCE tells which is newer.
    """
    meeting = participant.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        method = "CANCEL"
    event = _event(meeting, with_link=with_link)
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = meeting.space.name
    event.add("organizer", organizer)
    if participant.email:
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = participant.display_name
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["rsvp"] = "FALSE"
        event.add("attendee", attendee)
    return _ics([event], name=meeting.title, uid=meeting_calendar_uid(meeting), method=method)


def _ics(events: list[Event], *, name: str, uid: str, method: str | None = None) -> bytes:
    # Without a uid icalendar makes up a random one on every call.
    cal = Calendar.new(name=name, uid=uid, prodid="-//Offensive Mittelstand//Fachgruppe Handwerk//DE")
    if method is not None:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(meeting: Meeting, *, with_link: bool) -> Event:
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = Event.new(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        stamp=meeting.updated_at,
        start=meeting.starts_at.astimezone(BERLIN),
        end=meeting.ends_at.astimezone(BERLIN) if meeting.ends_at else None,
        summary=meeting.title,
        status=_STATUS[meeting.status],
        url=url,
        description=_description(meeting, url=url, with_link=with_link),
    )
    location = [meeting.place] if meeting.place else []
    if with_link and meeting.video_url:
        location.append(meeting.video_url)
    if location:
        event.add("location", " – ".join(location))
    return event


def _description(meeting: Meeting, *, url: str, with_link: bool) -> str:
    lines = []
    if meeting.status == Meeting.Status.CANCELLED:
        lines += [_("Dieser Termin ist abgesagt."), ""]
    if meeting.agenda_published_at is not None:
        items = list(meeting.agenda_items.all())
        if items:
            lines.append(_("Tagesordnung:"))
            lines += [f"{number}. {item.title}" for number, item in enumerate(items, start=1)]
            lines.append("")
    if with_link and meeting.video_url:
        lines += [_("Videokonferenz: %(url)s") % {"url": meeting.video_url}, ""]
    lines.append(url)
    return "\n".join(lines)


# --- The personal feed ----------------------------------------------------


def feed_owner(token: str):
    """The person behind a feed address, or None for an unknown or replaced one."""
    found = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return found.user if found else None


def feed_window_start() -> datetime:
    """The feed's earliest start: the first of the month CALENDAR_FEED_MONTHS_BACK months ago.

    Calendar clients poll the feed; meetings long past change nothing there and
    would only make every poll bigger. Everything ahead stays in. The start moves
    once a month, so the validators stay the same in between.
    """
    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.CALENDAR_FEED_MONTHS_BACK
    return datetime(months // 12, months % 12 + 1, 1, tzinfo=BERLIN)


def feed_meetings(*, user) -> QuerySet:
    """What the person may see at this very moment (memberships are read afresh on every request),
    from feed_window_start() on."""
    return calendar_meetings(_feed_window(user=user))


def feed_ics(*, user, validators: "Validators", name: str) -> bytes:
    """The person's feed file, kept in the shared cache under its ETag: calendar clients poll
    it every few minutes, and most polls (those that send no If-None-Match) would otherwise
    render the same hundreds of events again. The ETag changes with anything the file shows
    (feed_validators), so a kept file is never stale."""
    key = f"calendar:feed:{validators.etag}"
    body = readcache.cached(key)
    if body is None:
        body = ics_for(feed_meetings(user=user), user=user, name=name, uid=feed_calendar_uid(user))
        readcache.keep(key, body, seconds=FEED_CACHE_SECONDS)
    return body


def _feed_window(*, user) -> QuerySet:
    return access.visible_items(Meeting.objects.filter(starts_at__gte=feed_window_start()), user)


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime | None


def feed_validators(*, user, token: str) -> Validators:
    """ETag and Last-Modified of the person's feed, from two aggregates and without rendering it.

    The ETag covers whatever changes an event: any meeting saved in the window
    (max updated_at: the services touch the meeting when its agenda changes), a
    meeting appearing or disappearing (the count, the sum of audiences for a
    widening), the person's participations (they decide the video link), their
    rings, language and address, and the window's start.
    """
    window = _feed_window(user=user).aggregate(
        changed=Max("updated_at"), count=Count("pk"), audiences=Sum(Coalesce("audience_id", 0))
    )
    taking_part = Participant.objects.filter(
        user=user, meeting__starts_at__gte=feed_window_start()
    ).aggregate(count=Count("pk"), latest=Max("pk"))
    return _validators(
        (
            token,
            user.language,
            feed_window_start().date(),
            window["changed"],
            window["count"],
            window["audiences"],
            taking_part["count"],
            taking_part["latest"],
            sorted(access.ring_space_ids(user)),
            access.sees_everything(user),
        ),
        last_modified=window["changed"],
    )


def meeting_validators(*, meeting: Meeting, with_link: bool) -> Validators:
    """ETag and Last-Modified of one meeting's calendar file, in the active language."""
    return _validators(
        (meeting.pk, meeting.updated_at, meeting.sequence, meeting.audience_id, with_link, get_language()),
        last_modified=meeting.updated_at,
    )


def _validators(parts: tuple, *, last_modified: datetime | None) -> Validators:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return Validators(etag=f'"{digest}"', last_modified=last_modified)


# --- The month view -------------------------------------------------------


@dataclass
class Day:
    date: date
    in_month: bool
    meetings: list


# The months the calendar shows: far beyond any meeting of the portal, well inside what dates can
# hold (9999-12 has no following month), so a hand-made address never reaches the edge of time.
FIRST_MONTH = date(2000, 1, 1)
LAST_MONTH = date(2099, 12, 1)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]

    @property
    def previous(self) -> date | None:
        previous = (self.first - timedelta(days=1)).replace(day=1)
        return previous if previous >= FIRST_MONTH else None

    @property
    def next(self) -> date | None:
        following = (self.first + timedelta(days=31)).replace(day=1)
        return following if following <= LAST_MONTH else None


def parse_month(value: str | None) -> date | None:
    """ "2026-10" → 1 October 2026; nothing or something that is no month → the current month;
    a month outside FIRST_MONTH … LAST_MONTH → None (the view answers 404)."""
    if value:
        try:
            first = datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            pass
        else:
            return first if FIRST_MONTH <= first <= LAST_MONTH else None
    return timezone.localdate().replace(day=1)


def month_view(*, user, first: date) -> Month:
    """The weeks (Monday to Sunday) around a month with the meetings `user` may see, in one query."""
    weeks = month_grid.Calendar(firstweekday=month_grid.MONDAY).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tzinfo=BERLIN)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tzinfo=BERLIN)
    meetings = (
        access.visible_items(Meeting.objects.all(), user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("space")
        .order_by("starts_at", "pk")
    )
    by_day: dict[date, list] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.starts_at.astimezone(BERLIN).date(), []).append(meeting)
    return Month(
        first=first,
        weeks=[[Day(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in weeks],
    )
