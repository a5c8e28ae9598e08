"""Reads of the registrations: who may register for a meeting, the places taken, the waiting list, and
what the registration section of a meeting shows; the writes are in meetings.registrations."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from groups import access
from meetings.models import Meeting, Registration

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


def confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def waiting_list(meeting: Meeting):
    """Waiting registrations, first come first served (a waiting one is saved only when it starts waiting)."""
    return meeting.registrations.filter(status=Registration.Status.WAITING).order_by("changed_at", "pk")


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
    confirmed = confirmed_count(meeting)
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
