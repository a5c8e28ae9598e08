"""Reads of the minutes editor: the names of its sections and rows, every section as stored and its
fingerprint (what the page sends back as `base-<section>`), and the meetings it offers as the next
date; the writes (saving, autosaving, conflicts) are in meetings.minutes_document.

The sections: the introduction, per agenda item its discussion with its decisions, the
action items ("Weiteres Vorgehen") and the next date (the follow-up meeting).
"""

import datetime
import hashlib
import json

from groups import access
from meetings.models import AgendaItem, Decision, Meeting, Minutes

INTRODUCTION = "introduction"
ACTIONS = "actions"
NEXT = "next"
ITEM_PREFIX = "item-"


NEW_ACTION_ROW = "action-new"


def item_section(pk: int) -> str:
    return f"{ITEM_PREFIX}{pk}"


def new_decision_row(item_pk: int) -> str:
    return f"decision-new-{item_pk}"


def digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def plain(value: str) -> str:
    """A section's text as compared and stored: Windows line ends and outer blanks do not count."""
    return value.replace("\r\n", "\n").strip()


def action_value(
    pk,
    *,
    title: str,
    agenda_item: AgendaItem | None,
    assignees,
    other_assignees: str,
    due_date: datetime.date | None,
) -> list:
    """An action item as the fingerprint of the action items sees it, stored or as a form sent it."""
    return [
        pk,
        plain(title),
        agenda_item.pk if agenda_item else None,
        sorted(person.pk for person in assignees),
        plain(other_assignees),
        due_date.isoformat() if due_date else None,
    ]


def stored_action_value(action_item) -> list:
    """`action_value` of a stored action item (its assignees prefetched)."""
    return action_value(
        action_item.pk,
        title=action_item.title,
        agenda_item=action_item.agenda_item,
        assignees=action_item.assignees.all(),
        other_assignees=action_item.other_assignees,
        due_date=action_item.due_date,
    )


def ordered_decisions(decisions) -> list[Decision]:
    return sorted(decisions, key=lambda decision: (decision.position, decision.pk))


def stored_sections(meeting: Meeting, minutes: Minutes | None) -> dict[str, object]:
    """Every section as stored, in the shape the save gives what a form sent."""
    state: dict[str, object] = {INTRODUCTION: plain(minutes.introduction) if minutes else ""}
    items = meeting.agenda_items.order_by("position", "pk").prefetch_related("decisions")
    for item in items:
        state[item_section(item.pk)] = {
            "discussion": plain(item.discussion),
            "decisions": [
                [decision.pk, plain(decision.text)] for decision in ordered_decisions(item.decisions.all())
            ],
        }
    state[ACTIONS] = [
        stored_action_value(action_item)
        for action_item in meeting.action_items.select_related("agenda_item")
        .prefetch_related("assignees")
        .order_by("pk")
    ]
    state[NEXT] = meeting.next_meeting_id
    return state


def fingerprints(*, meeting: Meeting, minutes: Minutes | None) -> dict[str, str]:
    """What the page sends back as `base-<section>`: the sections as it showed them."""
    return {section: digest(value) for section, value in stored_sections(meeting, minutes).items()}


def next_meeting_choices(*, meeting: Meeting, user) -> "list[Meeting]":
    """Meetings of the same space after this one that the person may see: the possible next date."""
    later = access.visible_items(Meeting.objects.filter(space_id=meeting.space_id), user).exclude(
        status=Meeting.Status.CANCELLED
    )
    later = later.exclude(pk=meeting.pk)
    if meeting.starts_at:
        later = later.exclude(starts_at__lte=meeting.starts_at)
    return list(later.order_by("starts_at", "pk")[:20])
