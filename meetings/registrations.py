"""Registration for trainings and experience exchanges: taking a place, the waiting list, moving up (who
may register and what the registration section shows are read in meetings.selectors_registrations).

A registration is confirmed, waiting or cancelled (Registration.Status); each
transition is one function below. Every change that counts places locks the
meeting row first, so two people taking the last place at once cannot both
get it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import User
from meetings import selectors_registrations
from meetings.models import Meeting, Registration
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _has_room(meeting: Meeting) -> bool:
    return meeting.capacity is None or selectors_registrations.confirmed_count(meeting) < meeting.capacity


@transaction.atomic
def registration_register(*, meeting: Meeting, user: User) -> Registration:
    """A place when one is free, otherwise the end of the waiting list."""
    meeting = _lock(meeting)
    if not selectors_registrations.may_register(user, meeting):
        raise ValidationError(_("Für diesen Termin ist keine Anmeldung möglich."))
    status = Registration.Status.CONFIRMED if _has_room(meeting) else Registration.Status.WAITING
    registration = Registration.objects.filter(meeting=meeting, user=user).first()
    if registration is None:
        return Registration.objects.create(meeting=meeting, user=user, status=status)
    if registration.status in selectors_registrations.ACTIVE:
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
    if registration.status not in selectors_registrations.ACTIVE:
        raise ValidationError(_("Diese Anmeldung ist bereits storniert."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "changed_at"])
    if was_confirmed:
        _fill_free_places(meeting)
    return registration


def _fill_free_places(meeting: Meeting) -> None:
    while _has_room(meeting):
        first = selectors_registrations.waiting_list(meeting).select_for_update().first()
        if first is None:
            return
        registration_move_up(registration=first)


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
