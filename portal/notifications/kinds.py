"""The kinds of events, registered in code by the apps that send them, and the channels.

A kind is a plain string in the database (Event.kind, Preference.kind): no
choices, so a new kind needs no migration. Each app registers its kinds when it
starts (groups/kinds.py, meetings/kinds.py, projects/kinds.py, imported by their
AppConfig.ready):

    register_kind("thread_created", _("Neue Diskussion"), topic="discussions")

- `value`: what is stored, at most 40 characters;
- `label`: what the notification centre shows;
- `topic`: the row of the preferences page it is set on (forms.TOPICS names them);
- `personal=True`: addressed to one person about their own affairs, so it comes at once by default;
- `subject`: the mail subject, a format string over the event's data; the label when not given.

Registering the same kind again with the same definition changes nothing; a
different definition under a name already taken is a programming error. An
unregistered kind is refused by events.record and by the model fields'
validator, and the system check `notifications.E002` lists stored ones.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 40


@dataclass(frozen=True)
class KindSpec:
    value: str
    label: str
    topic: str
    personal: bool = False
    subject: str | None = None


_REGISTRY: dict[str, KindSpec] = {}


def register_kind(value: str, label, *, topic: str, personal: bool = False, subject=None) -> str:
    """Makes `value` a kind of event; returns it. See the module's text."""
    value = str(value)
    if not value or len(value) > MAX_LENGTH:
        raise ImproperlyConfigured(f"A notification kind needs 1 to {MAX_LENGTH} characters: {value!r}")
    spec = KindSpec(value=value, label=label, topic=topic, personal=personal, subject=subject)
    known = _REGISTRY.get(value)
    if known is not None and known != spec:
        raise ImproperlyConfigured(f"The notification kind {value!r} is registered twice, differently.")
    _REGISTRY[value] = spec
    return value


def unregister_kind(value: str) -> None:
    """For tests that register a kind of their own."""
    _REGISTRY.pop(str(value), None)


def is_registered(value) -> bool:
    return str(value) in _REGISTRY


def registered() -> list[KindSpec]:
    return list(_REGISTRY.values())


def spec(value) -> KindSpec | None:
    return _REGISTRY.get(str(value))


def label(value) -> str:
    known = _REGISTRY.get(str(value))
    return str(known.label) if known is not None else str(value)


def is_personal(value) -> bool:
    known = _REGISTRY.get(str(value))
    return known is not None and known.personal


def in_topic(topic: str) -> list[str]:
    return [kind.value for kind in _REGISTRY.values() if kind.topic == topic]


@deconstructible(path="portal.notifications.kinds.KindValidator")
class KindValidator:
    """The field validator: only registered kinds are stored. Deconstructs to itself, not to the
    list of kinds, so registering one leaves the migrations as they are."""

    def __call__(self, value) -> None:
        if not is_registered(value):
            raise ValidationError(_("Unbekannte Art von Benachrichtigung: %(kind)s"), params={"kind": value})

    def __eq__(self, other) -> bool:
        return isinstance(other, KindValidator)

    def __hash__(self) -> int:
        return hash(KindValidator)


class UnknownKindError(ValueError):
    pass


def ensure_registered(value) -> str:
    if not is_registered(value):
        raise UnknownKindError(f"Unregistered notification kind {value!r}: register it with register_kind().")
    return str(value)


class Kind(StrEnum):
    """The names of the portal's own kinds, for the code that records them. What makes a kind
    a kind is its registration by the app that owns it, not this list."""

    JOIN_REQUESTED = "join_requested"
    JOIN_DECIDED = "join_decided"
    INVITED = "invited"
    WIDENED = "widened"
    WIDENED_FOR_AUTHOR = "widened_for_author"
    THREAD_CREATED = "thread_created"
    POST_CREATED = "post_created"
    MENTIONED = "mentioned"
    QUESTION_ASKED = "question_asked"
    QUESTION_DECIDED = "question_decided"
    QUESTION_ANSWERED = "question_answered"
    INFORMATION_PUBLISHED = "information_published"
    MEETING_SCHEDULED = "meeting_scheduled"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    AGENDA_PUBLISHED = "agenda_published"
    MINUTES_PUBLISHED = "minutes_published"
    ACTION_ITEM_ASSIGNED = "action_item_assigned"
    ACTION_ITEM_DUE = "action_item_due"
    ACTION_ITEM_OVERDUE = "action_item_overdue"
    POLL_OPENED = "poll_opened"
    POLL_CLOSED = "poll_closed"
    REGISTRATION_MOVED_UP = "registration_moved_up"
    MEETING_INVITED = "meeting_invited"
    PROJECT_SUBMITTED = "project_submitted"
    PROJECT_DECIDED = "project_decided"
    PROJECT_ACCEPTED = "project_accepted"
    MEMBERSHIP_ENDED = "membership_ended"
    ROLE_CHANGED = "role_changed"
    MEMBER_LEFT = "member_left"


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Sofort per E-Mail")
    DAILY = "daily", _("Im täglichen Überblick")
    WEEKLY = "weekly", _("Im wöchentlichen Überblick")
    IN_APP = "in_app", _("Nur im Portal")
    OFF = "off", _("Aus")


# Channels whose mail waits for a digest, by the name of the digest.
DIGEST_CHANNELS = {Channel.DAILY, Channel.WEEKLY}
