"""Registration for trainings and experience exchanges: places, the waiting list, moving up.

A registration is confirmed, waiting or cancelled (Registration.Status); each
transition is one function below. Every change that counts places locks the
meeting row first, so two people taking the last place at once cannot both
get it.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings.models import Meeting, Registration
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


def may_register(user, meeting: Meeting) -> bool:
    """Members of the home space's ring; with `open_to_partners` anyone with a verified address
    who may see the meeting (an inner meeting stays invisible, and so closed, to outsiders)."""
    if not user.is_authenticated or not meeting.registration_open:
        return False
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.TENTATIVE):
        return False
    if not access.can_view(user, meeting):
        return False
    if access.can_see_space_content(user, meeting.space):
        return True
    return meeting.open_to_partners and EmailAddress.objects.filter(user=user, verified=True).exists()


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _has_room(meeting: Meeting) -> bool:
    return meeting.capacity is None or _confirmed_count(meeting) < meeting.capacity


@transaction.atomic
def registration_register(*, meeting: Meeting, user: User) -> Registration:
    """A place when one is free, otherwise the end of the waiting list."""
    meeting = _lock(meeting)
    if not may_register(user, meeting):
        raise ValidationError(_("Für diesen Termin ist keine Anmeldung möglich."))
    status = Registration.Status.CONFIRMED if _has_room(meeting) else Registration.Status.WAITING
    registration = Registration.objects.filter(meeting=meeting, user=user).first()
    if registration is None:
        return Registration.objects.create(meeting=meeting, user=user, status=status)
    if registration.status in ACTIVE:
        raise ValidationError(_("Sie sind für diesen Termin bereits angemeldet."))
    registration.status = status
    registration.save(update_fields=["status", "changed_at"])
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Gives the place (or the waiting-list spot) back; a freed place goes to the first one waiting."""
    meeting = _lock(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != by.pk:
        raise ValidationError(_("Sie können nur Ihre eigene Anmeldung stornieren."))
    if registration.status not in ACTIVE:
        raise ValidationError(_("Diese Anmeldung ist bereits storniert."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "changed_at"])
    if was_confirmed:
        _fill_free_places(meeting)
    return registration


def _fill_free_places(meeting: Meeting) -> None:
    while _has_room(meeting):
        first = waiting_list(meeting).select_for_update().first()
        if first is None:
            return
        registration_move_up(registration=first)


def waiting_list(meeting: Meeting):
    """Waiting registrations, first come first served (a waiting one is saved only when it starts waiting)."""
    return meeting.registrations.filter(status=Registration.Status.WAITING).order_by("changed_at", "pk")


def registration_move_up(*, registration: Registration) -> Registration:
    """From the waiting list to a confirmed place; the person is told at once.

    Runs under the meeting's lock (taken by the caller).
    """
    if registration.status != Registration.Status.WAITING:
        raise ValidationError(_("Nur wer auf der Warteliste steht, kann nachrücken."))
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "changed_at"])
    meeting = registration.meeting
    record(
        kind=Kind.REGISTRATION_MOVED_UP,
        audience=Event.Audience.PEOPLE,
        space=meeting.space,
        recipients=[registration.user],
        subject=meeting,
        data={"title": meeting.title, "space": meeting.space.name, "url": meeting.get_absolute_url()},
    )
    return registration


# --- Reads ------------------------------------------------------------------


@dataclass
class RegistrationPanel:
    meeting: Meeting
    capacity: int | None
    confirmed: int
    own: Registration | None
    waiting_position: int | None
    may_register: bool

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)


def registration_panel(*, meeting: Meeting, user) -> RegistrationPanel:
    """What the registration section of a meeting shows to `user`."""
    confirmed = _confirmed_count(meeting)
    own, position = None, None
    if user.is_authenticated:
        own = Registration.objects.filter(meeting=meeting, user=user, status__in=ACTIVE).first()
        if own is not None and own.status == Registration.Status.WAITING:
            position = list(waiting_list(meeting).values_list("pk", flat=True)).index(own.pk) + 1
    return RegistrationPanel(
        meeting=meeting,
        capacity=meeting.capacity,
        confirmed=confirmed,
        own=own,
        waiting_position=position,
        may_register=own is None and may_register(user, meeting),
    )
