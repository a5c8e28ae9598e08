"""What an invitation mail says to one person: the place, the agenda, the answer links, the calendar file.

The outbox renders a notification once per language for all its recipients;
for the meeting's invitation, change and cancellation this module adds, per
person, what differs between them (registered with
portal.notifications.personal in MeetingsConfig.ready). Accounts never get
the video link by mail ("Videokonferenz (Link im Portal)"); guests keep
theirs (meetings.guests, access.guest_sees_meeting_link).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from meetings import rsvp, selectors_calendar
from meetings.models import Meeting, Participant
from portal.notifications.kinds import Kind

VIDEO_IN_PORTAL = translation.gettext_lazy("Videokonferenz (Link im Portal)")
KINDS = (Kind.MEETING_INVITED, Kind.MEETING_CHANGED, Kind.MEETING_CANCELLED)


def place_for_member(meeting: Meeting) -> str:
    parts = [meeting.place] if meeting.place else []
    if meeting.video_url:
        parts.append(str(VIDEO_IN_PORTAL))
    return "; ".join(parts)


def agenda(meeting: Meeting) -> list:
    if meeting.agenda_published_at is None:
        return []
    return list(meeting.agenda_items.order_by("position", "pk"))


def calendar_filename(meeting: Meeting) -> str:
    return f"sitzung-{meeting.pk}.ics"


def complete_member_mail(message, *, event, user):
    """Adds the participant's part to a mail about their meeting; other people's mails stay as they are."""
    participant = (
        Participant.objects.select_related("meeting__space")
        .filter(meeting_id=event.subject_id, user=user)
        .first()
    )
    if participant is None:
        return message
    meeting = participant.meeting
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar_file = meeting.starts_at is not None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "cancelled": cancelled,
            "place": place_for_member(meeting),
            "agenda": agenda(meeting) if event.kind == Kind.MEETING_INVITED else [],
            "answer_links": rsvp.labelled_links(participant) if rsvp.answerable(meeting) else {},
            "calendar_file": calendar_file,
        }
        text = render_to_string("meetings/email/member_details.txt", context)
        html = render_to_string("meetings/email/member_details.html", context)
        if calendar_file:
            content = selectors_calendar.ics_invitation(participant, with_link=False)
    message.body = _insert(message.body, text, before=("\n-- \n",))
    if message.alternatives:
        alternative = message.alternatives[0]
        message.alternatives[0] = type(alternative)(
            _insert(alternative.content, html, before=("<hr", "</body>")), alternative.mimetype
        )
    if calendar_file:
        message.attach(calendar_filename(meeting), content, "text/calendar")
    return message


def _insert(body: str, part: str, *, before: tuple[str, ...]) -> str:
    """`part` before the first of the markers found last in `body` (the signature), else at the end."""
    for marker in before:
        index = body.rfind(marker)
        if index >= 0:
            return body[:index] + "\n" + part + body[index:]
    return body + "\n" + part


def register() -> None:
    from portal.notifications import personal

    for kind in KINDS:
        personal.register(kind, complete_member_mail)
    # A change or cancellation is news for the ring but an appointment for the invitees: at once.
    for kind in (Kind.MEETING_CHANGED, Kind.MEETING_CANCELLED):
        personal.register_at_once(kind, invitees_among)


def invitees_among(event, ids: set[int]) -> set[int]:
    """Those of `ids` who are invited to the event's meeting."""
    return set(
        Participant.objects.filter(meeting_id=event.subject_id, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
