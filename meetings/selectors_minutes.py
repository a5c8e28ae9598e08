"""Reads of the minutes: the record as a person may see it or as the meeting's audience shares it (the PDF)
and its stored PDF, the follow-up meetings, the revisions, the person's own action items and who may change
their status, whether minutes may be begun or published yet and who may take on an action item; everything
through groups.access. The writes are in meetings.minutes, the editor's reads in
meetings.selectors_minutes_document."""

from dataclasses import dataclass, field

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from groups import access
from groups.models import User
from meetings import selectors
from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesPdf,
    MinutesRevision,
    Participant,
)


@dataclass
class ItemRecord:
    item: AgendaItem
    decisions: list[Decision]
    action_items: list[ActionItem] = field(default_factory=list)


@dataclass
class MinutesRecord:
    """Everything a page or the PDF shows of the minutes, loaded in a fixed number of queries."""

    meeting: Meeting
    minutes: Minutes
    items: list[ItemRecord]
    action_items: list[ActionItem]
    participants: list[Participant]
    next_meetings: list[Meeting]
    revisions: list[MinutesRevision] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.minutes.status == Minutes.Status.DRAFT

    @property
    def attendees(self) -> list[Participant]:
        """Who took part (as recorded, or as they answered), then who excused themselves."""
        present = [
            person
            for person in self.participants
            if person.attended
            or (
                person.attended is None
                and person.response in (Participant.Response.ACCEPTED, Participant.Response.INVITED)
            )
        ]
        excused = [person for person in self.participants if person.response == Participant.Response.EXCUSED]
        return present + [person for person in excused if person not in present]


def ordered_action_items() -> QuerySet[ActionItem]:
    return ActionItem.objects.prefetch_related(
        Prefetch("assignees", queryset=User.objects.order_by("name"))
    ).order_by("due_date", "pk")


def minutes_record(*, user, meeting: Meeting, drafts: bool = True) -> MinutesRecord | None:
    """The minutes of a meeting the person may already see; None when there are none for them.
    `drafts=False` for a channel that never shows a draft, not even to its coordinators (the API)."""
    minutes = Minutes.objects.filter(meeting=meeting).select_related("published_by").first()
    if minutes is None:
        return None
    minutes.meeting = meeting
    if not access.can_see_minutes(user, minutes, meeting_visible=True, drafts=drafts):
        return None
    return _record(minutes, meeting=meeting, visible=lambda queryset: access.visible_items(queryset, user))


def audience_record(*, minutes: Minutes) -> MinutesRecord:
    """The record as every person who may see the meeting may see it: for the stored PDF they share."""
    meeting = minutes.meeting
    return _record(
        minutes, meeting=meeting, visible=lambda queryset: access.visible_to_audience(queryset, meeting)
    )


def _record(minutes: Minutes, *, meeting: Meeting, visible) -> MinutesRecord:
    items = selectors.with_linked_items(
        list(
            meeting.agenda_items.order_by("position", "pk")
            .select_related("presenter")
            .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("position", "pk")))
        ),
        visible=visible,
    )
    records = {item.pk: ItemRecord(item=item, decisions=list(item.decisions.all())) for item in items}
    action_items = list(ordered_action_items().filter(meeting=meeting))
    for action_item in action_items:
        if action_item.agenda_item_id in records:
            records[action_item.agenda_item_id].action_items.append(action_item)
    return MinutesRecord(
        meeting=meeting,
        minutes=minutes,
        items=list(records.values()),
        action_items=action_items,
        participants=list(meeting.participants.select_related("user").order_by("name", "user__name", "pk")),
        next_meetings=next_meetings(meeting=meeting, visible=visible),
        revisions=list(revisions(minutes=minutes)) if minutes.status == Minutes.Status.PUBLISHED else [],
    )


def stored_pdf(*, minutes: Minutes, language: str) -> MinutesPdf | None:
    """The stored PDF of the minutes' current version in `language`; None when there is none yet."""
    return MinutesPdf.objects.filter(minutes=minutes, version=minutes.version, language=language).first()


def next_meetings(*, meeting: Meeting, visible) -> list[Meeting]:
    """The follow-up meeting when one is linked, otherwise the space's later meetings `visible` keeps."""
    later = visible(Meeting.objects.exclude(status=Meeting.Status.CANCELLED))
    if meeting.next_meeting_id:
        return list(later.filter(pk=meeting.next_meeting_id))
    after = Q(status=Meeting.Status.TENTATIVE, starts_at__isnull=True)
    if meeting.starts_at:
        after |= Q(starts_at__gt=meeting.starts_at)
    return list(
        later.filter(after, space_id=meeting.space_id).exclude(pk=meeting.pk).order_by("starts_at")[:3]
    )


def visible_meeting_or_404(*, user, pk: int) -> Meeting:
    return access.get_visible_or_404(
        Meeting.objects.select_related("space", "audience", "next_meeting"), user, pk=pk
    )


def revisions(*, minutes: Minutes) -> QuerySet[MinutesRevision]:
    return minutes.revisions.select_related("changed_by")


def my_action_items(user) -> QuerySet[ActionItem]:
    """The person's action items from published minutes of meetings they may still see; open ones first."""
    if not user.is_authenticated:
        return ActionItem.objects.none()
    return (
        access.readable_minutes(
            ordered_action_items().filter(assignees=user), user, via="meeting", drafts=False
        )
        .select_related("meeting", "agenda_item")
        .alias(
            finished=Case(When(status=ActionItem.Status.DONE, then=Value(1)), default=Value(0)),
        )
        .order_by("finished", F("due_date").asc(nulls_last=True), "pk")
    )


def can_change_status(user, action_item: ActionItem) -> bool:
    """The home space's coordinators, and the assignees once they may read the minutes (published)."""
    minutes = Minutes.objects.filter(meeting=action_item.meeting).first()
    if minutes is None:
        return False
    minutes.meeting = action_item.meeting
    if not access.can_see_minutes(user, minutes):
        return False
    return access.can_coordinate(user, action_item.meeting.space) or (
        action_item.assignees.filter(pk=user.pk).exists()
    )


def has_begun(meeting: Meeting) -> bool:
    return meeting.starts_at is not None and meeting.starts_at <= timezone.now()


def is_over(meeting: Meeting) -> bool:
    """Marked held, or its end (its start when it has none) has passed."""
    if meeting.status == Meeting.Status.HELD:
        return True
    until = meeting.ends_at or meeting.starts_at
    return meeting.status == Meeting.Status.PLANNED and until is not None and until <= timezone.now()


def can_start(meeting: Meeting) -> bool:
    """Minutes are written from the moment the meeting begins, never for a cancelled one."""
    return meeting.status != Meeting.Status.CANCELLED and has_begun(meeting)


def assignable_people(meeting: Meeting) -> QuerySet[User]:
    """Accounts that can take on an action item: the meeting's participants and the home space's ring."""
    return selectors.meeting_people(meeting=meeting)
