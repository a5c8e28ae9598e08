"""Answering an invitation from its mail, without signing in: one signed link per participant.

The token names one participant of one meeting and serves this purpose only
(its salt); it is refused once the meeting is over, held or cancelled, so an
old mail cannot change anything afterwards. The answer itself is chosen on
the page the link opens: a GET never changes anything.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Participant

SALT = "meetings.rsvp.answer"
ANSWERS = (Participant.Response.ACCEPTED, Participant.Response.DECLINED, Participant.Response.EXCUSED)


def token_for(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "m": participant.meeting_id}, salt=SALT, compress=True)


def answerable(meeting: Meeting) -> bool:
    """Until the meeting has ended (or, without an end, begun); never once held or cancelled."""
    if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.HELD}:
        return False
    end = meeting.ends_at or meeting.starts_at
    return end is None or end > timezone.now()


def participant_for(token: str) -> Participant | None:
    """The participant a valid, still usable token names; None for anything else."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    participant = (
        Participant.objects.select_related("meeting__space", "user")
        .filter(pk=data.get("p"), meeting_id=data.get("m"))
        .first()
    )
    if participant is None or not answerable(participant.meeting):
        return None
    if participant.user_id is not None and not participant.user.is_active:
        return None
    return participant


def links(participant: Participant) -> dict[str, str]:
    """The three one-click links of a mail, by answer (absolute URLs)."""
    url = settings.SITE_URL + reverse("meetings:answer", kwargs={"token": token_for(participant)})
    return {answer: f"{url}?antwort={answer}" for answer in ANSWERS}


def labelled_links(participant: Participant) -> list[tuple[str, str]]:
    """The links with the answers' names in the active language: zugesagt, abgesagt, entschuldigt."""
    return [(str(Participant.Response(answer).label), url) for answer, url in links(participant).items()]
