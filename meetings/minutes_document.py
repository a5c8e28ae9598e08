"""The minutes as one document: every section saved at once, one section autosaved, conflicts shown.

The editing page sends, for every section it shows, a fingerprint of the section as it was
loaded (`base-<section>`). When two coordinators edit at once, a section whose stored
fingerprint has moved since (someone else saved it) and whose sent content differs from
the stored one is a conflict: the whole save is refused and nothing is written; the page
keeps what was typed, shows the stored text beside it and carries fresh fingerprints, so
that saving again is a deliberate choice. Sections nobody else touched never conflict.

The sections, their stored state, the fingerprints and the possible next dates are read in
meetings.selectors_minutes_document; this module holds the writes.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import User
from meetings import minutes as records
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from meetings.selectors_minutes_document import (
    ACTIONS,
    INTRODUCTION,
    ITEM_PREFIX,
    NEW_ACTION_ROW,
    NEXT,
    action_value,
    digest,
    fingerprints,
    item_section,
    new_decision_row,
    next_meeting_choices,
    plain,
    stored_action_value,
    stored_sections,
)
from portal import readcache


@dataclass
class ItemChange:
    discussion: str
    decisions: dict[int, str] = field(default_factory=dict)  # existing decisions by id
    new_decision: str = ""


@dataclass
class ActionChange:
    title: str
    agenda_item: AgendaItem | None = None
    assignees: list[User] = field(default_factory=list)
    other_assignees: str = ""
    due_date: datetime.date | None = None


@dataclass
class DocumentChange:
    """What a form sent; a section left at None (or absent from `items`) was not on the page."""

    introduction: str | None = None
    items: dict[int, ItemChange] = field(default_factory=dict)
    action_items: dict[int, ActionChange] | None = None
    new_action_item: ActionChange | None = None
    next_meeting: Meeting | None = None
    next_meeting_sent: bool = False
    delete_decisions: set[int] = field(default_factory=set)
    # Filled by the save: what the empty rows created, by row ("decision-new-<item>", "action-new"),
    # so that the page, which keeps those rows filled, edits the same objects from then on.
    created: dict[str, int] = field(default_factory=dict)


@dataclass
class Conflict:
    section: str
    label: str
    theirs: str
    mine: str


class MinutesConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(", ".join(conflict.section for conflict in conflicts))
        self.conflicts = conflicts


# --- What a form sent -------------------------------------------------------


def _sent_action_value(pk, change: ActionChange) -> list:
    return action_value(
        pk,
        title=change.title,
        agenda_item=change.agenda_item,
        assignees=change.assignees,
        other_assignees=change.other_assignees,
        due_date=change.due_date,
    )


def _sent(change: DocumentChange, stored: dict[str, object]) -> dict[str, object]:
    state: dict[str, object] = {}
    if change.introduction is not None:
        state[INTRODUCTION] = plain(change.introduction)
    for pk, item in change.items.items():
        before = stored.get(item_section(pk)) or {"decisions": []}
        decisions = [
            [decision_pk, plain(item.decisions.get(decision_pk, text))]
            for decision_pk, text in before["decisions"]
            if decision_pk not in change.delete_decisions
        ]
        if plain(item.new_decision):
            decisions.append([None, plain(item.new_decision)])
        state[item_section(pk)] = {"discussion": plain(item.discussion), "decisions": decisions}
    if change.action_items is not None:
        # Tasks added since the page was loaded are not on it: they stay as they are.
        actions = [
            _sent_action_value(value[0], change.action_items[value[0]])
            if value[0] in change.action_items
            else value
            for value in stored.get(ACTIONS, [])
        ]
        if change.new_action_item is not None:
            actions.append(_sent_action_value(None, change.new_action_item))
        state[ACTIONS] = actions
    if change.next_meeting_sent:
        state[NEXT] = change.next_meeting.pk if change.next_meeting else None
    return state


# --- Conflicts -------------------------------------------------------------


def _label(meeting: Meeting, section: str, items: dict[int, AgendaItem]) -> str:
    if section == INTRODUCTION:
        return _("Einleitung")
    if section == ACTIONS:
        return _("Weiteres Vorgehen")
    if section == NEXT:
        return _("Nächster Termin")
    item = items.get(int(section.removeprefix(ITEM_PREFIX)))
    return f"{item.position}. {item.title}" if item else _("Entfernter Tagesordnungspunkt")


def _readable(section: str, value, meetings: dict[int, str]) -> str:
    """A section's content as plain text, to be read side by side with the other version."""
    if value is None and section != NEXT:
        return _("(nicht mehr vorhanden)")
    if section == INTRODUCTION:
        return value
    if section == NEXT:
        return meetings.get(value, _("(automatisch: die folgenden Sitzungen des Raums)"))
    if section == ACTIONS:
        return "\n".join(f"– {title}" for _pk, title, *_rest in value)
    lines = [value["discussion"]] if value["discussion"] else []
    lines += [_("Beschluss: %(text)s") % {"text": text} for _pk, text in value["decisions"]]
    return "\n".join(lines)


def _untouched(stored: dict, sent: dict, bases: dict[str, str]) -> dict:
    """Drops the sections the person left as the page showed them: someone else's newer text stays."""
    return {
        section: value
        for section, value in sent.items()
        if section not in stored or bases.get(section) != digest(value)
    }


def _conflicts(meeting: Meeting, stored: dict, sent: dict, bases: dict[str, str]) -> list[Conflict]:
    """Sections both changed: by someone else since the page was loaded, and differently by this person."""
    moved = [
        section
        for section, value in sent.items()
        if section not in stored
        or (bases.get(section) != digest(stored[section]) and digest(value) != digest(stored[section]))
    ]
    if not moved:
        return []
    items = {item.pk: item for item in meeting.agenda_items.all()}
    titles = dict(
        Meeting.objects.filter(pk__in=[stored.get(NEXT), sent.get(NEXT)]).values_list("pk", "title")
    )
    return [
        Conflict(
            section=section,
            label=_label(meeting, section, items),
            theirs=_readable(section, stored.get(section), titles),
            mine=_readable(section, sent[section], titles),
        )
        for section in moved
    ]


# --- Writes ----------------------------------------------------------------


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, by: User, change: DocumentChange, bases: dict[str, str], reason: str = ""
) -> Minutes:
    """Saves every section the form sent, or nothing: refused on a conflict or invalid input.

    Sections whose content did not change are left alone; when nothing changed at all,
    published minutes get no revision and need no reason.
    """
    minutes = records.locked_minutes(meeting=meeting, by=by)
    stored = stored_sections(meeting, minutes)
    sent = _untouched(stored, _sent(change, stored), bases)
    conflicts = _conflicts(meeting, stored, sent, bases)
    if conflicts:
        raise MinutesConflictError(conflicts)
    changed = {section for section, value in sent.items() if digest(value) != digest(stored[section])}
    if not changed:
        return minutes
    records.keep_revision(minutes, by=by, reason=reason)
    if INTRODUCTION in changed:
        minutes.introduction = plain(change.introduction)
        minutes.save(update_fields=["introduction", "updated_at"])
    else:
        minutes.save(update_fields=["updated_at"])
    for pk, item_change in change.items.items():
        if item_section(pk) in changed:
            decision = _save_item(meeting, pk, item_change, change.delete_decisions, by=by, reason=reason)
            if decision is not None:
                change.created[new_decision_row(pk)] = decision.pk
    if ACTIONS in changed:
        action_item = _save_action_items(
            meeting, change, by=by, published=minutes.status == Minutes.Status.PUBLISHED
        )
        if action_item is not None:
            change.created[NEW_ACTION_ROW] = action_item.pk
    if NEXT in changed:
        _save_next_meeting(meeting, change.next_meeting, by=by)
    return minutes


def _save_item(
    meeting: Meeting, pk: int, change: ItemChange, deleted: set[int], *, by: User, reason: str
) -> Decision | None:
    item = AgendaItem.objects.get(meeting=meeting, pk=pk)
    if plain(item.discussion) != plain(change.discussion):
        item.discussion = plain(change.discussion)
        item.save(update_fields=["discussion"])
    decisions = {decision.pk: decision for decision in item.decisions.all()}
    for decision_pk in deleted & set(decisions):
        decision = decisions.pop(decision_pk)
        records.audit_decision_deleted(decision, meeting=meeting, by=by, reason=reason)
        decision.delete()
    for decision_pk, text in change.decisions.items():
        decision = decisions.get(decision_pk)
        if decision is not None and plain(decision.text) != plain(text):
            decision.text = records.decision_text(text)
            decision.save(update_fields=["text"])
    if not plain(change.new_decision):
        return None
    return Decision.objects.create(
        agenda_item=item,
        text=records.decision_text(change.new_decision),
        position=max((decision.position for decision in decisions.values()), default=0) + 1,
    )


def _save_action_items(
    meeting: Meeting, change: DocumentChange, *, by: User, published: bool
) -> ActionItem | None:
    existing = {
        action_item.pk: action_item for action_item in meeting.action_items.prefetch_related("assignees")
    }
    for pk, action in (change.action_items or {}).items():
        action_item = existing.get(pk)
        if action_item is None:
            continue
        if stored_action_value(action_item) == _sent_action_value(pk, action):
            continue
        title, assignees, other = records.validated_assignment(
            meeting=meeting,
            title=action.title,
            agenda_item=action.agenda_item,
            assignees=action.assignees,
            other_assignees=action.other_assignees,
        )
        had = {person.pk for person in action_item.assignees.all()}
        if action_item.due_date != action.due_date:
            action_item.reminded_due_at = action_item.reminded_overdue_at = None
        action_item.title, action_item.agenda_item = title, action.agenda_item
        action_item.other_assignees, action_item.due_date = other, action.due_date
        action_item.save()
        action_item.assignees.set(assignees)
        if published:
            records.assigned(
                action_item, people=[person for person in assignees if person.pk not in had], by=by
            )
    new = change.new_action_item
    if new is None:
        return None
    title, assignees, other = records.validated_assignment(
        meeting=meeting,
        title=new.title,
        agenda_item=new.agenda_item,
        assignees=new.assignees,
        other_assignees=new.other_assignees,
    )
    action_item = ActionItem.objects.create(
        meeting=meeting,
        agenda_item=new.agenda_item,
        title=title,
        other_assignees=other,
        due_date=new.due_date,
    )
    action_item.assignees.set(assignees)
    if published:
        records.assigned(action_item, people=assignees, by=by)
    return action_item


def _save_next_meeting(meeting: Meeting, next_meeting: Meeting | None, *, by: User) -> None:
    if next_meeting is not None and next_meeting.pk not in {
        choice.pk for choice in next_meeting_choices(meeting=meeting, user=by)
    }:
        raise ValidationError(_("Als nächster Termin lässt sich nur eine spätere Sitzung des Raums wählen."))
    meeting.next_meeting = next_meeting
    Meeting.objects.filter(pk=meeting.pk).update(next_meeting=next_meeting)
    readcache.content_changed()  # update() sends no signal


AUTOSAVED = frozenset({INTRODUCTION, ACTIONS, NEXT})


@dataclass
class Autosaved:
    base: str  # the section's new fingerprint
    created: dict[str, int]  # rows that created an object, as in DocumentChange.created


@transaction.atomic
def minutes_autosave(
    *, meeting: Meeting, by: User, section: str, change: DocumentChange, base: str
) -> Autosaved:
    """Saves one section of a draft as the coordinator types: its new fingerprint and what it created.

    Every section autosaves: the introduction, an agenda item's discussion with its decisions
    (a new decision too), the action items (a new one too, once it says what and who) and the
    next date. A new decision or action item is created once; the page keeps the row filled
    and sends the created object's id with it (`<row>-created`), so the row edits that object
    from then on, whether autosaved again or saved by a button. Published minutes are corrected
    with a reason, never autosaved.
    """
    if section not in AUTOSAVED and not section.startswith(ITEM_PREFIX):
        raise ValidationError(_("Dieser Teil wird nicht automatisch gespeichert."))
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None and existing.status == Minutes.Status.PUBLISHED:
        raise ValidationError(
            _(
                "Ein veröffentlichtes Protokoll wird nicht automatisch gespeichert; "
                "nennen Sie den Grund der Korrektur und speichern Sie."
            )
        )
    only = DocumentChange()
    if section == INTRODUCTION:
        only.introduction = change.introduction
    elif section == ACTIONS:
        if change.action_items is None:
            raise ValidationError(_("Dieser Teil wird nicht automatisch gespeichert."))
        only.action_items, only.new_action_item = change.action_items, change.new_action_item
    elif section == NEXT:
        if not change.next_meeting_sent:
            raise ValidationError(_("Dieser Teil wird nicht automatisch gespeichert."))
        only.next_meeting_sent, only.next_meeting = True, change.next_meeting
    else:
        pk = int(section.removeprefix(ITEM_PREFIX))
        item = change.items.get(pk)
        if item is None:
            raise ValidationError(_("Dieser Teil wird nicht automatisch gespeichert."))
        only.items = {pk: item}
        only.delete_decisions = change.delete_decisions
    minutes = minutes_save(meeting=meeting, by=by, change=only, bases={section: base})
    return Autosaved(base=fingerprints(meeting=meeting, minutes=minutes)[section], created=only.created)
