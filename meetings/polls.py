"""Date polls that fix a tentative meeting: opening, answering, closing (the results and who may answer
are read in meetings.selectors_polls).

A poll is open or closed (DatePoll.Status). The invitees are the people inside
the meeting's ring and its participants with an account; they answer yes, if
need be or no for every proposed date. Closing the poll with one of its dates
plans the meeting and tells the invitees.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings import notify, selectors_polls
from meetings.models import DatePoll, Meeting, PollAnswer, PollOption
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event


def invitee_ids(meeting: Meeting) -> set[int]:
    """The ring the meeting is for (its audience, or the home space for a public one) and its participants."""
    ring = meeting.audience or meeting.space
    ids = access.audience_member_ids(ring)
    ids |= set(meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    return ids


def _notify(kind: Kind, *, meeting: Meeting, by: User, url: str) -> None:
    record(
        kind=kind,
        audience=Event.Audience.PEOPLE,
        space=meeting.space,
        actor=by,
        recipients=User.objects.filter(pk__in=invitee_ids(meeting)),
        subject=meeting,
        data={
            "title": meeting.title,
            "space": meeting.space.name,
            "actor": by.name,
            "url": url,
            **notify.when(meeting),
        },
    )


@transaction.atomic
def poll_open(*, meeting: Meeting, by: User, options: list[tuple[datetime, datetime]]) -> DatePoll:
    """Proposes dates for a tentative meeting and asks the invitees which suit them."""
    access.require_coordinator(by, meeting.space)
    meeting = Meeting.objects.select_for_update().select_related("space").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.TENTATIVE:
        raise ValidationError(_("Eine Terminumfrage ist nur für vorläufige Termine möglich."))
    if DatePoll.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("Für diesen Termin gibt es bereits eine Terminumfrage."))
    if not options:
        raise ValidationError(_("Bitte schlagen Sie mindestens einen Termin vor."))
    for starts_at, ends_at in options:
        if ends_at <= starts_at:
            raise ValidationError(_("Das Ende eines Terminvorschlags muss nach seinem Beginn liegen."))
    poll = DatePoll.objects.create(meeting=meeting)
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, starts_at=start, ends_at=end) for start, end in sorted(options)]
    )
    _notify(Kind.POLL_OPENED, meeting=meeting, by=by, url=poll_url(meeting))
    return poll


@transaction.atomic
def poll_answer(*, poll: DatePoll, user: User, answers: dict[int, str]) -> None:
    """Records (or replaces) the person's answer to every option of the poll at once."""
    poll = DatePoll.objects.select_for_update().select_related("meeting").get(pk=poll.pk)
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(_("Diese Terminumfrage ist bereits abgeschlossen."))
    if not selectors_polls.may_answer(user, poll.meeting):
        raise ValidationError(_("Sie sind zu dieser Terminumfrage nicht eingeladen."))
    option_ids = set(poll.options.values_list("pk", flat=True))
    if set(answers) != option_ids or not set(answers.values()) <= set(PollAnswer.Answer.values):
        raise ValidationError(_("Bitte beantworten Sie jeden Terminvorschlag."))
    PollAnswer.objects.bulk_create(
        [PollAnswer(option_id=pk, user=user, answer=answer) for pk, answer in answers.items()],
        update_conflicts=True,
        unique_fields=["option", "user"],
        update_fields=["answer"],
    )


@transaction.atomic
def poll_close(*, poll: DatePoll, option: PollOption, by: User) -> Meeting:
    """Fixes the meeting on the chosen date: planned, a new calendar sequence, the invitees told."""
    poll = DatePoll.objects.select_for_update().select_related("meeting__space").get(pk=poll.pk)
    meeting = poll.meeting
    access.require_coordinator(by, meeting.space)
    if poll.status != DatePoll.Status.OPEN:
        raise ValidationError(_("Diese Terminumfrage ist bereits abgeschlossen."))
    if option.poll_id != poll.pk:
        raise ValidationError(_("Dieser Termin gehört nicht zu dieser Umfrage."))
    poll.status = DatePoll.Status.CLOSED
    poll.chosen_option = option
    poll.closed_at = timezone.now()
    poll.save(update_fields=["status", "chosen_option", "closed_at"])
    meeting.starts_at, meeting.ends_at = option.starts_at, option.ends_at
    # A planned meeting has its date; the period it was tentatively given no longer applies.
    meeting.tentative_period = ""
    meeting.status = Meeting.Status.PLANNED
    meeting.sequence += 1
    meeting.save(
        update_fields=["starts_at", "ends_at", "tentative_period", "status", "sequence", "updated_at"]
    )
    _notify(Kind.POLL_CLOSED, meeting=meeting, by=by, url=meeting.get_absolute_url())
    return meeting


def poll_url(meeting: Meeting) -> str:
    return reverse("meetings:poll_detail", kwargs={"pk": meeting.pk})
