"""The events the meetings core writes into the outbox: what each says and whom it reaches.

Called by meetings.services inside their transactions. A meeting reaches the
ring of its audience, or its home space when it is public (the public ring
reaches no account). Changes and cancellations also reach the invited
accounts outside that ring, in a second event addressed to them by name.
The accounts invited in one step share one event addressed to them by
name; their mails get each person's answer links and calendar file from
meetings.invitation_mail. A guest without an account gets a mail of its own
instead (meetings.guests), for the invitation and for every change, which
the outbox, made for accounts, cannot carry.
"""

from groups import access
from groups.models import User
from groups.notify import excerpt
from meetings.models import Meeting
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event

EXCERPT_LENGTH = 400
# An agenda is read in the mail itself: all of it, up to a generous length.
AGENDA_LENGTH = 4000


def _ring(meeting: Meeting):
    return meeting.audience if meeting.audience_id is not None else meeting.space


def _data(meeting: Meeting, by: User, text: str = "", *, length: int = EXCERPT_LENGTH) -> dict:
    return {
        "title": meeting.title,
        "space": meeting.space.name,
        "actor": by.name,
        # With its line breaks: an agenda stays a list in the mail.
        "excerpt": excerpt(text, length=length),
        "url": meeting.get_absolute_url(),
        **when(meeting),
    }


def when(meeting: Meeting) -> dict:
    """The meeting's date as ISO values: each mail writes it in its reader's language."""
    if meeting.starts_at is None:
        return {}
    return {
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else "",
    }


def _invited_accounts(meeting: Meeting) -> list[User]:
    return list(User.objects.filter(participations__meeting=meeting, is_active=True))


def _to_ring_and_participants(kind: Kind, meeting: Meeting, by: User, excerpt: str) -> None:
    ring = _ring(meeting)
    data = _data(meeting, by, excerpt)
    record(
        kind=kind,
        audience=Event.Audience.RING,
        space=meeting.space,
        ring=ring,
        actor=by,
        subject=meeting,
        data=data,
    )
    inside = access.audience_member_ids(ring)
    outside = [user for user in _invited_accounts(meeting) if user.pk not in inside]
    if outside:
        record(
            kind=kind,
            audience=Event.Audience.PEOPLE,
            space=meeting.space,
            recipients=outside,
            actor=by,
            subject=meeting,
            data=data,
        )


def meeting_scheduled(meeting: Meeting, *, by: User) -> None:
    record(
        kind=Kind.MEETING_SCHEDULED,
        audience=Event.Audience.RING,
        space=meeting.space,
        ring=_ring(meeting),
        actor=by,
        subject=meeting,
        data=_data(meeting, by, meeting.description),
    )


def meeting_changed(meeting: Meeting, *, by: User, what: str) -> None:
    _to_ring_and_participants(Kind.MEETING_CHANGED, meeting, by, what)


def meeting_cancelled(meeting: Meeting, *, by: User) -> None:
    _to_ring_and_participants(Kind.MEETING_CANCELLED, meeting, by, "")


def meeting_invited(meeting: Meeting, *, by: User, users: list[User]) -> None:
    """The invited accounts hear of it at once (a personal kind), with the date in their own language.

    One event for everyone invited in one step; each mail carries that person's
    answer links and calendar file (meetings.invitation_mail).
    """
    record(
        kind=Kind.MEETING_INVITED,
        audience=Event.Audience.PEOPLE,
        space=meeting.space,
        recipients=users,
        actor=by,
        subject=meeting,
        data=_data(meeting, by, meeting.description),
    )


def agenda_published(meeting: Meeting, *, by: User, agenda: str) -> None:
    record(
        kind=Kind.AGENDA_PUBLISHED,
        audience=Event.Audience.PEOPLE,
        space=meeting.space,
        recipients=_invited_accounts(meeting),
        actor=by,
        subject=meeting,
        data=_data(meeting, by, agenda, length=AGENDA_LENGTH),
    )
