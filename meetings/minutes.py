"""The minutes (Protokoll) of a meeting: the writes of the record, its decisions and action items (the reads
are in meetings.selectors_minutes).

A draft is for the coordinators of the meeting's home space; publishing shows
it to everyone who may see the meeting. The life cycle is enforced here: a
draft is started once the meeting has begun, published once it is held or its
end has passed, and may later be noted as approved ("genehmigt", with the day).
Changes to published minutes are corrections: they need a reason and first
keep the record as it was (MinutesRevision). Published minutes freeze the
agenda (meetings.services). An action item's status is the
living state of the work, not part of the record's wording, so changing it
keeps no revision.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import access
from groups.models import User
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes, MinutesRevision
from meetings.selectors_minutes import (
    assignable_people,
    can_change_status,
    has_begun,
    is_over,
    ordered_action_items,
)
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.celery import named_task
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event

logger = logging.getLogger(__name__)

DUE_SOON = datetime.timedelta(days=3)


# --- Writes --------------------------------------------------------------


def _check_can_start(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Eine abgesagte Sitzung hat kein Protokoll."))
    if not has_begun(meeting):
        raise ValidationError(_("Das Protokoll lässt sich erst beginnen, wenn die Sitzung begonnen hat."))


def _editable_minutes(*, meeting: Meeting, by: User, reason: str = "") -> Minutes:
    """The minutes to change, a new draft on the first edit once the meeting has begun.

    A change of published minutes is a correction: it needs a reason, and the record as it was
    is kept first (MinutesRevision), with who changed it, when and why.
    """
    minutes = locked_minutes(meeting=meeting, by=by)
    keep_revision(minutes, by=by, reason=reason)
    return minutes


def locked_minutes(*, meeting: Meeting, by: User) -> Minutes:
    """The minutes, locked for the transaction; a new draft once the meeting has begun."""
    access.require_coordinator(by, meeting.space)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        _check_can_start(meeting)
        minutes = Minutes.objects.create(meeting=meeting)
    return minutes


def keep_revision(minutes: Minutes, *, by: User, reason: str) -> None:
    """Before a change of published minutes: the reason is required, the old wording kept."""
    if minutes.status != Minutes.Status.PUBLISHED:
        return
    reason = reason.strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    MinutesRevision.objects.create(minutes=minutes, snapshot=snapshot(minutes), changed_by=by, reason=reason)
    new_version(minutes)


REASON_REQUIRED = gettext_lazy(
    "Das Protokoll ist veröffentlicht: Bitte geben Sie an, warum Sie es korrigieren."
)


def new_version(minutes: Minutes) -> None:
    """The published record changes: a new version, whose PDF the task renders after the commit."""
    minutes.version += 1
    Minutes.objects.filter(pk=minutes.pk).update(version=F("version") + 1)
    enqueue_rendering(minutes)


def enqueue_rendering(minutes: Minutes) -> None:
    """After the change commits, the task renders the new version; without a broker the first request does."""
    kwargs = {"minutes_id": minutes.pk, "version": minutes.version}

    def enqueue():
        try:
            named_task("meetings.render_minutes_pdf").apply_async(kwargs=kwargs, retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the first request renders it
            logger.warning("minutes PDF not enqueued", extra={**kwargs, "error": repr(exc)})

    transaction.on_commit(enqueue)


def published_record_changed(*, meeting: Meeting) -> None:
    """For changes outside the minutes that their PDF shows (the meeting, its agenda, its participants)."""
    minutes = (
        Minutes.objects.select_for_update().filter(meeting=meeting, status=Minutes.Status.PUBLISHED).first()
    )
    if minutes is not None:
        new_version(minutes)


def snapshot(minutes: Minutes) -> dict:
    """The record's wording as JSON: introduction, per item the discussion and decisions, the action items.

    The Markdown travels with its stored HTML, which the history page shows.
    """
    meeting = minutes.meeting
    items = meeting.agenda_items.order_by("position", "pk").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("position", "pk"))
    )
    return {
        "introduction": minutes.introduction,
        "introduction_html": minutes.introduction_html,
        "items": [
            {
                "position": item.position,
                "title": item.title,
                "discussion": item.discussion,
                "discussion_html": item.discussion_html,
                "decisions": [decision.text for decision in item.decisions.all()],
            }
            for item in items
        ],
        "action_items": [
            {
                "title": action_item.title,
                "assignees": action_item.assignee_names,
                "due_date": action_item.due_date.isoformat() if action_item.due_date else None,
                "status": action_item.status,
            }
            for action_item in ordered_action_items().filter(meeting=meeting)
        ],
    }


@transaction.atomic
def minutes_edit(*, meeting: Meeting, by: User, introduction: str, reason: str = "") -> Minutes:
    minutes = _editable_minutes(meeting=meeting, by=by, reason=reason)
    minutes.introduction = introduction.strip()
    minutes.save(update_fields=["introduction", "updated_at"])
    return minutes


@transaction.atomic
def agenda_item_discussion_edit(
    *, agenda_item: AgendaItem, by: User, discussion: str, reason: str = ""
) -> AgendaItem:
    _editable_minutes(meeting=agenda_item.meeting, by=by, reason=reason)
    agenda_item.discussion = discussion.strip()
    agenda_item.save(update_fields=["discussion"])
    return agenda_item


def decision_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Bitte geben Sie den Wortlaut des Beschlusses ein."))
    return text


@transaction.atomic
def decision_add(*, agenda_item: AgendaItem, by: User, text: str, reason: str = "") -> Decision:
    text = decision_text(text)
    _editable_minutes(meeting=agenda_item.meeting, by=by, reason=reason)
    return Decision.objects.create(
        agenda_item=agenda_item, text=text, position=agenda_item.decisions.count() + 1
    )


@transaction.atomic
def decision_edit(*, decision: Decision, by: User, text: str, reason: str = "") -> Decision:
    text = decision_text(text)
    _editable_minutes(meeting=decision.agenda_item.meeting, by=by, reason=reason)
    decision.text = text
    decision.save(update_fields=["text"])
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by: User, reason: str = "") -> None:
    meeting = decision.agenda_item.meeting
    _editable_minutes(meeting=meeting, by=by, reason=reason)
    audit_decision_deleted(decision, meeting=meeting, by=by, reason=reason)
    decision.delete()


def audit_decision_deleted(decision: Decision, *, meeting: Meeting, by: User, reason: str = "") -> None:
    """A decision taken out of the minutes is recorded with its text: the minutes keep no trace of it."""
    audit.record(
        Action.DECISION_DELETED,
        actor=by,
        target=decision,
        space=meeting.space,
        summary=reason,
        before={"text": decision.text, "meeting": meeting.title},
    )


def validated_assignment(
    *, meeting: Meeting, title: str, agenda_item: AgendaItem | None, assignees, other_assignees: str
) -> tuple[str, list[User], str]:
    title, other_assignees = title.strip(), other_assignees.strip()
    if not title:
        raise ValidationError(_("Bitte beschreiben Sie die Aufgabe."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Der Tagesordnungspunkt gehört nicht zu dieser Sitzung."))
    assignees = list(assignees)
    allowed = set(assignable_people(meeting).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in assignees):
        raise ValidationError(
            _(
                "Aufgaben können nur Teilnehmende oder Mitglieder des Raums übernehmen; "
                "andere bitte als Namen eintragen."
            )
        )
    if not assignees and not other_assignees:
        raise ValidationError(_("Bitte geben Sie an, wer die Aufgabe übernimmt."))
    return title, assignees, other_assignees


@transaction.atomic
def action_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    agenda_item: AgendaItem | None = None,
    assignees=(),
    other_assignees: str = "",
    due_date: datetime.date | None = None,
    reason: str = "",
) -> ActionItem:
    title, assignees, other_assignees = validated_assignment(
        meeting=meeting,
        title=title,
        agenda_item=agenda_item,
        assignees=assignees,
        other_assignees=other_assignees,
    )
    minutes = _editable_minutes(meeting=meeting, by=by, reason=reason)
    action_item = ActionItem.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        other_assignees=other_assignees,
        due_date=due_date,
    )
    action_item.assignees.set(assignees)
    if minutes.status == Minutes.Status.PUBLISHED:
        assigned(action_item, people=assignees, by=by)
    return action_item


@transaction.atomic
def action_item_edit(
    *,
    action_item: ActionItem,
    by: User,
    title: str,
    agenda_item: AgendaItem | None = None,
    assignees=(),
    other_assignees: str = "",
    due_date: datetime.date | None = None,
    reason: str = "",
) -> ActionItem:
    meeting = action_item.meeting
    title, assignees, other_assignees = validated_assignment(
        meeting=meeting,
        title=title,
        agenda_item=agenda_item,
        assignees=assignees,
        other_assignees=other_assignees,
    )
    minutes = _editable_minutes(meeting=meeting, by=by, reason=reason)
    before = set(action_item.assignees.values_list("pk", flat=True))
    if action_item.due_date != due_date:
        action_item.reminded_due_at = action_item.reminded_overdue_at = None
    action_item.title, action_item.agenda_item = title, agenda_item
    action_item.other_assignees, action_item.due_date = other_assignees, due_date
    action_item.save()
    action_item.assignees.set(assignees)
    if minutes.status == Minutes.Status.PUBLISHED:
        assigned(action_item, people=[person for person in assignees if person.pk not in before], by=by)
    return action_item


def _require_status_changer(action_item: ActionItem, by: User) -> None:
    if not can_change_status(by, action_item):
        raise PermissionDenied


def _set_status(action_item: ActionItem, status: str) -> ActionItem:
    action_item.status = status
    action_item.done_at = timezone.now() if status == ActionItem.Status.DONE else None
    action_item.save(update_fields=["status", "done_at"])
    published_record_changed(meeting=action_item.meeting)  # the PDF shows each item's status
    return action_item


@transaction.atomic
def action_item_start(*, action_item: ActionItem, by: User) -> ActionItem:
    _require_status_changer(action_item, by)
    if action_item.status != ActionItem.Status.OPEN:
        raise ValidationError(_("Nur eine offene Aufgabe kann begonnen werden."))
    return _set_status(action_item, ActionItem.Status.IN_PROGRESS)


@transaction.atomic
def action_item_finish(*, action_item: ActionItem, by: User) -> ActionItem:
    _require_status_changer(action_item, by)
    if action_item.status == ActionItem.Status.DONE:
        raise ValidationError(_("Die Aufgabe ist bereits erledigt."))
    return _set_status(action_item, ActionItem.Status.DONE)


@transaction.atomic
def action_item_reopen(*, action_item: ActionItem, by: User) -> ActionItem:
    _require_status_changer(action_item, by)
    if action_item.status == ActionItem.Status.OPEN:
        raise ValidationError(_("Die Aufgabe ist bereits offen."))
    return _set_status(action_item, ActionItem.Status.OPEN)


STATUS_TRANSITIONS = {
    ActionItem.Status.IN_PROGRESS: action_item_start,
    ActionItem.Status.DONE: action_item_finish,
    ActionItem.Status.OPEN: action_item_reopen,
}


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: User) -> Minutes:
    """Draft → published: the meeting's ring and its participants are told, assignees get their tasks."""
    access.require_coordinator(by, meeting.space)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        raise ValidationError(_("Es gibt noch kein Protokoll zum Veröffentlichen."))
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Das Protokoll ist bereits veröffentlicht."))
    if not is_over(meeting):
        raise ValidationError(
            _(
                "Das Protokoll lässt sich erst veröffentlichen, wenn die Sitzung stattgefunden hat: "
                "Markieren Sie sie als stattgefunden oder warten Sie ihr Ende ab."
            )
        )
    minutes.status, minutes.published_at, minutes.published_by = Minutes.Status.PUBLISHED, timezone.now(), by
    minutes.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    new_version(minutes)
    audit.record(Action.MINUTES_PUBLISHED, actor=by, target=meeting, space=meeting.space)
    _published(meeting, by=by)
    for action_item in ordered_action_items().filter(meeting=meeting):
        assigned(action_item, people=list(action_item.assignees.all()), by=by)
    return minutes


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User, approved_on: datetime.date) -> Minutes:
    """Published → genehmigt: a later meeting approved the record on `approved_on`."""
    access.require_coordinator(by, meeting.space)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or minutes.status != Minutes.Status.PUBLISHED:
        raise ValidationError(_("Genehmigt werden kann nur ein veröffentlichtes Protokoll."))
    if minutes.approved_on is not None:
        raise ValidationError(_("Das Protokoll ist bereits genehmigt."))
    if approved_on > timezone.localdate():
        raise ValidationError(_("Das Datum der Genehmigung darf nicht in der Zukunft liegen."))
    if meeting.starts_at and approved_on < timezone.localdate(meeting.starts_at):
        raise ValidationError(_("Genehmigt werden kann das Protokoll erst nach der Sitzung."))
    minutes.approved_on, minutes.approved_by = approved_on, by
    minutes.save(update_fields=["approved_on", "approved_by", "updated_at"])
    audit.record(
        Action.MINUTES_APPROVED,
        actor=by,
        target=meeting,
        space=meeting.space,
        after={"approved_on": approved_on.isoformat()},
    )
    new_version(minutes)  # the PDF says "genehmigt"
    return minutes


# --- Events ----------------------------------------------------------------


def _meeting_data(meeting: Meeting, **extra) -> dict:
    return {"title": meeting.title, "space": meeting.space.name, "url": meeting.get_absolute_url(), **extra}


def _published(meeting: Meeting, *, by: User) -> None:
    ring = meeting.audience or meeting.space
    data = _meeting_data(meeting, actor=by.name, url=f"{meeting.get_absolute_url()}#protokoll")
    record(
        kind=Kind.MINUTES_PUBLISHED,
        audience=Event.Audience.RING,
        space=meeting.space,
        ring=ring,
        actor=by,
        subject=meeting,
        data=data,
    )
    outside = (
        User.objects.filter(participations__meeting=meeting, is_active=True)
        .exclude(pk__in=access.audience_member_ids(ring))
        .distinct()
    )
    if outside:
        record(
            kind=Kind.MINUTES_PUBLISHED,
            audience=Event.Audience.PEOPLE,
            space=meeting.space,
            actor=by,
            recipients=list(outside),
            subject=meeting,
            data=data,
        )


def _action_item_data(action_item: ActionItem, **extra) -> dict:
    meeting = action_item.meeting
    due = date_format(action_item.due_date, "SHORT_DATE_FORMAT") if action_item.due_date else ""
    return {
        "title": action_item.title,
        "space": meeting.space.name,
        "meeting": meeting.title,
        "due": due,
        "due_on": action_item.due_date.isoformat() if action_item.due_date else "",
        "excerpt": _("Aus der Sitzung „%(meeting)s“.") % {"meeting": meeting.title},
        "url": reverse("meetings:tasks"),
        **extra,
    }


def assigned(action_item: ActionItem, *, people: list[User], by: User) -> None:
    people = [person for person in people if person.pk != by.pk]
    if not people:
        return
    record(
        kind=Kind.ACTION_ITEM_ASSIGNED,
        audience=Event.Audience.PEOPLE,
        space=action_item.meeting.space,
        actor=by,
        recipients=people,
        subject=action_item.meeting,
        data=_action_item_data(action_item, actor=by.name),
    )


def _open_of_published_minutes() -> QuerySet[ActionItem]:
    return (
        ordered_action_items()
        .filter(meeting__minutes__status=Minutes.Status.PUBLISHED, due_date__isnull=False)
        .exclude(status=ActionItem.Status.DONE)
        .select_related("meeting__space")
    )


@transaction.atomic
def action_items_remind(*, today: datetime.date | None = None) -> int:
    """Tells assignees once when an open item is due within three days, and once when it is overdue."""
    today = today or timezone.localdate()
    now, sent = timezone.now(), 0
    reminders = (
        (
            Kind.ACTION_ITEM_DUE,
            "reminded_due_at",
            Q(due_date__gte=today, due_date__lte=today + DUE_SOON, reminded_due_at__isnull=True),
        ),
        (
            Kind.ACTION_ITEM_OVERDUE,
            "reminded_overdue_at",
            Q(due_date__lt=today, reminded_overdue_at__isnull=True),
        ),
    )
    for kind, stamp, due in reminders:
        for action_item in _open_of_published_minutes().filter(due).select_for_update(of=("self",)):
            people = list(action_item.assignees.all())
            if people:
                record(
                    kind=kind,
                    audience=Event.Audience.PEOPLE,
                    space=action_item.meeting.space,
                    recipients=people,
                    subject=action_item.meeting,
                    data=_action_item_data(action_item),
                )
                sent += 1
            setattr(action_item, stamp, now)
            action_item.save(update_fields=[stamp])
    return sent
