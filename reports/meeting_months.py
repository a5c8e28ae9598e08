"""The meetings of a space month by month: attendance, decisions and action items, with the
finished months kept in the shared cache.

Seven years of a busy Fachgruppe are 200,000 invitations, 40,000 decisions and 60,000 action
items, counted again at every view of the dashboard, although a past month changes only when
someone edits its meetings late (attendance recorded afterwards, a corrected record, an action
item done years later). So the figures of every whole month before the current one are kept per
space, under

- the content generation of portal.readcache, which every write to a meeting, participant, agenda
  item, decision or action item replaces (as it does for every shared read of the portal);
- today's date, since an open action item becomes overdue as the days pass.

What is not kept (a period's partial first month, the current month, a month the cache lost) is
counted from the rows by the same queries, whatever is kept. The figures are the space's
own content (groups.access.coordination_scope) and the same for each of its coordinators, so they
are kept per space and never per person; the views decide who sees a dashboard at all. When the
cache does not answer, everything is counted from the rows. A write made while the cache did not
answer cannot replace the generation: KEEP_SECONDS bounds how long such a month may then be stale.
"""

import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from groups import access
from groups.models import Space
from meetings.models import ActionItem, Meeting, Participant
from portal import readcache
from reports.periods import Period, midnight, next_month

KEEP_SECONDS = 10 * 60
ATTENDANCE = ("invited", "accepted", "excused", "declined", "attended")
ITEMS = ("total", "open", "overdue", "done", "timed")
# A month without held meetings.
EMPTY: dict[str, dict] = {
    "attendance": dict.fromkeys(ATTENDANCE, 0),
    "actions": {**dict.fromkeys(("decisions", *ITEMS), 0), "to_done": None},
}


def held_meetings(*, space: Space, period: Period):
    return access.coordination_scope(Meeting.objects.all(), space=space).filter(
        status=Meeting.Status.HELD, **period.range("starts_at")
    )


def attendance(prefix: str = "participants__") -> dict:
    response = Participant.Response
    return {
        "invited": Count(f"{prefix}pk"),
        "accepted": Count(f"{prefix}pk", filter=Q(**{f"{prefix}response": response.ACCEPTED})),
        "excused": Count(f"{prefix}pk", filter=Q(**{f"{prefix}response": response.EXCUSED})),
        "declined": Count(f"{prefix}pk", filter=Q(**{f"{prefix}response": response.DECLINED})),
        "attended": Count(f"{prefix}pk", filter=Q(**{f"{prefix}attended": True})),
    }


def attendance_by_month(*, space: Space, period: Period) -> dict[datetime.date, dict]:
    """Every month of the period (its first day) with the invitations to its held meetings, by
    answer, and who attended (ATTENDANCE)."""
    return _by_month("attendance", space=space, period=period)


def actions_by_month(*, space: Space, period: Period) -> dict[datetime.date, dict]:
    """Every month of the period with its held meetings' decisions and their action items by
    today's state (ITEMS, and `to_done`: the summed time from the meeting to done of those timed)."""
    return _by_month("actions", space=space, period=period)


def _by_month(figures: str, *, space: Space, period: Period) -> dict[datetime.date, dict]:
    today = timezone.localdate()
    until = min(period.last + datetime.timedelta(days=1), today.replace(day=1))
    finished = [month for month in period.months if month >= period.first and next_month(month) <= until]
    generation = readcache.generation()
    key = kept_key(figures, space=space, generation=generation, today=today) if generation else None
    kept = (readcache.cached(key) or {}) if key else {}
    # Only the period's whole months come from what is kept: its partial first and last month
    # count only their days inside it.
    usable = {month: kept[month] for month in finished if month in kept}
    months = [month for month in period.months if month not in usable]
    counted = _COUNTS[figures](_meetings(space=space, period=period, months=months), today) if months else {}
    if key and len(usable) < len(finished):
        added = {month: counted.get(month, EMPTY[figures]) for month in finished if month not in usable}
        readcache.keep(key, {**kept, **added}, seconds=KEEP_SECONDS)
    return {month: usable.get(month) or counted.get(month) or EMPTY[figures] for month in period.months}


def kept_key(figures: str, *, space: Space, generation: str, today: datetime.date) -> str:
    """Where a space's finished months of `figures` ("attendance" or "actions") are kept."""
    return f"reports:meeting-months:{figures}:{space.pk}:{generation}:{today}"


def _meetings(*, space: Space, period: Period, months: list[datetime.date]):
    """The held meetings of these months of the period, one row per month to be annotated."""
    # Consecutive months as one range: usually all of them (nothing kept) or the last one or two.
    ranges: list[list[datetime.date]] = []
    for month in months:
        if ranges and ranges[-1][1] == month:
            ranges[-1][1] = next_month(month)
        else:
            ranges.append([month, next_month(month)])
    within = Q()
    for first, after in ranges:
        within |= Q(
            starts_at__gte=max(period.start_at, midnight(first)),
            starts_at__lt=min(period.end_at, midnight(after)),
        )
    return (
        held_meetings(space=space, period=period)
        .filter(within)
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_default_timezone()))
        .values("month")
        .order_by("month")
    )


def _rows(rows, figures: str, counted: dict | None = None) -> dict[datetime.date, dict]:
    counted = {} if counted is None else counted
    for row in rows:
        counted.setdefault(row.pop("month").date(), dict(EMPTY[figures])).update(row)
    return counted


def _attendance(meetings, today: datetime.date) -> dict:
    return _rows(meetings.annotate(**attendance()), "attendance")


def _actions(meetings, today: datetime.date) -> dict:
    # Two joins from the held meetings, down to the decisions and to the action items, each on its
    # own: together they would multiply each other's rows.
    counted = _rows(meetings.annotate(decisions=Count("agenda_items__decisions__pk")), "actions")
    done = Q(action_items__status=ActionItem.Status.DONE)
    timed = done & Q(action_items__done_at__isnull=False)
    to_done = ExpressionWrapper(F("action_items__done_at") - F("starts_at"), output_field=DurationField())
    items = meetings.annotate(
        total=Count("action_items__pk"),
        open=Count("action_items__pk", filter=~done),
        overdue=Count("action_items__pk", filter=~done & Q(action_items__due_date__lt=today)),
        done=Count("action_items__pk", filter=done),
        # Done items only: their time from the meeting that set them to being done.
        to_done=Sum(to_done, filter=timed),
        timed=Count("action_items__pk", filter=timed),
    )
    return _rows(items, "actions", counted)


_COUNTS = {"attendance": _attendance, "actions": _actions}
