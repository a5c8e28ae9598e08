"""The content of a space's activity report (Tätigkeitsbericht) for one year.

The document a coordinator sends to the network's steering body: the
meetings held with their attendance, the decisions and action items of the
published minutes (drafts are not final), the model projects presented at a
meeting and those accepted with their two scores, the questions answered, the
information published and how the membership developed. It depends on the
space and the year only (groups.access.coordination_scope), never on the
reader, so one stored PDF serves every coordinator of the space. A fixed
number of queries; every list is bounded (LIST_LIMIT) and says so when cut.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Prefetch, Q
from django.utils import timezone

from groups import access
from groups.models import InformationPage, Question, Space, User
from groups.subscriptions import PAGE_MAIL
from meetings.models import ActionItem, AgendaItem, Decision, Minutes
from portal.notifications import tallies
from projects.models import Project
from reports import selectors
from reports.periods import Period, year_period

# A year of one space fits easily; a list that would not is cut, and the report says how many there were.
LIST_LIMIT = 300


@dataclass
class Listing:
    rows: list
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class ActivityReportContent:
    space: Space
    year: int
    period: Period
    generated_at: datetime.datetime
    meetings: selectors.Section
    decisions: Listing
    action_items: Listing
    presented: Listing
    accepted: Listing
    questions: Listing
    information: Listing
    members: selectors.Section
    counts: dict = field(default_factory=dict)


def _listing(queryset) -> Listing:
    rows = list(queryset[: LIST_LIMIT + 1])
    if len(rows) <= LIST_LIMIT:
        return Listing(rows=rows, total=len(rows))
    return Listing(rows=rows[:LIST_LIMIT], total=queryset.count())


def valid_years() -> range:
    """The years a report can be asked for: from 2000 to the current one."""
    return range(2000, timezone.localdate().year + 1)


def activity_report(*, space: Space, year: int) -> ActivityReportContent:
    period = year_period(year)
    held = selectors.held_meetings(space=space, period=period)
    published = held.filter(minutes__status=Minutes.Status.PUBLISHED)
    decisions = (
        Decision.objects.filter(agenda_item__meeting__in=published)
        .select_related("agenda_item__meeting")
        .order_by("agenda_item__meeting__starts_at", "agenda_item__position", "position", "pk")
    )
    action_items = (
        ActionItem.objects.filter(meeting__in=published)
        .select_related("meeting")
        .prefetch_related(Prefetch("assignees", queryset=User.objects.only("pk", "name").order_by("name")))
        .order_by("meeting__starts_at", "due_date", "pk")
    )
    presented = (
        AgendaItem.objects.filter(meeting__in=held, project__isnull=False)
        .select_related("meeting", "project")
        .order_by("meeting__starts_at", "position")
    )
    in_round = Q(reviews__round=F("round"))
    accepted = (
        access.coordination_scope(Project.objects.all(), space=space)
        .filter(status=Project.Status.ACCEPTED, **period.range("accepted_at"))
        .select_related("organisation")
        .annotate(
            transferability=Avg("reviews__transferability", filter=in_round),
            added_value=Avg("reviews__added_value", filter=in_round),
            review_count=Count("reviews", filter=in_round),
        )
        .order_by("accepted_at", "pk")
    )
    answered = (
        access.coordination_scope(Question.objects.all(), space=space)
        .filter(status=Question.Status.ANSWERED, **period.range("answered_at"))
        .order_by("answered_at", "pk")
    )
    information = (
        access.coordination_scope(InformationPage.objects.all(), space=space)
        .filter(**period.range("published_at"))
        .order_by("published_at", "pk")
    )
    content = ActivityReportContent(
        space=space,
        year=year,
        period=period,
        generated_at=timezone.now(),
        meetings=selectors.meetings(space=space, period=period, limit=LIST_LIMIT),
        decisions=_listing(decisions),
        action_items=_listing(action_items),
        presented=_listing(presented),
        accepted=_listing(accepted),
        questions=_listing(answered),
        information=_listing(information),
        members=selectors.members(space=space, period=period),
    )
    # Also those the outbox has deleted since (portal.notifications.tallies).
    mailed = tallies.sent_mails_by_subject(
        template=PAGE_MAIL, subject_ids=[page.pk for page in content.information.rows]
    )
    for page in content.information.rows:
        page.subscriber_mails = mailed.get(page.pk, 0)
    done = Q(status=ActionItem.Status.DONE)
    content.counts = ActionItem.objects.filter(meeting__in=published).aggregate(
        action_items_done=Count("pk", filter=done), action_items_open=Count("pk", filter=~done)
    )
    return content
