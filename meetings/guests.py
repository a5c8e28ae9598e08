"""Guests without an account: their invitation arrives by mail, with the meeting's calendar file.

The outbox of portal.notifications reaches accounts only; a guest is an
address on a Participant. The mail is handed to Celery after the invitation
is committed (meetings.send_guest_invitation, retried on transient mail
errors); when the broker cannot be reached it is sent at once instead, so
an invitation is not lost to a Redis outage. It is written in the portal's
language (German): a guest has chosen none.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings import calendar
from meetings.models import Meeting, Participant
from portal import dates
from portal.email import PortalEmail

logger = logging.getLogger(__name__)


def enqueue_invitation(*, participant_id: int, by_id: int | None) -> None:
    from meetings.tasks import send_guest_invitation

    kwargs = {"participant_id": participant_id, "by_id": by_id}
    try:
        send_guest_invitation.apply_async(kwargs=kwargs, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: send it from here instead
        logger.warning("guest invitation not enqueued, sending it now", extra={"error": repr(exc)})
        invitation_send(**kwargs)


def invitation_send(*, participant_id: int, by_id: int | None = None) -> bool:
    """Mails the invitation; False when there is no one to write to (any more)."""
    participant = (
        Participant.objects.select_related("meeting__space")
        .filter(pk=participant_id, user__isnull=True)
        .exclude(email="")
        .first()
    )
    if participant is None or participant.meeting.status == Meeting.Status.CANCELLED:
        return False
    inviter = User.objects.filter(pk=by_id, is_active=True).first() if by_id else None
    with translation.override(settings.LANGUAGE_CODE):
        message = _invitation_message(participant, inviter)
    message.send()
    return True


def _invitation_message(participant: Participant, inviter: User | None) -> PortalEmail:
    meeting = participant.meeting
    context = {
        "participant": participant,
        "meeting": meeting,
        "inviter": inviter,
        "when": dates.period(meeting.starts_at, meeting.ends_at) if meeting.starts_at else "",
        "video_url": meeting.video_url if access.guest_sees_meeting_link(participant) else "",
        "agenda": list(meeting.agenda_items.order_by("position", "pk"))
        if meeting.agenda_published_at
        else [],
        # Only a public meeting's page opens without an account.
        "url": settings.SITE_URL + meeting.get_absolute_url()
        if access.can_view(AnonymousUser(), meeting)
        else "",
        "site_url": settings.SITE_URL,
    }
    subject = _("Einladung: %(title)s") % {"title": meeting.title}
    message = PortalEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string("meetings/email/guest_invitation.txt", context),
        to=[participant.email],
        reply_to=[inviter.email] if inviter is not None else [],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("meetings/email/guest_invitation.html", context), "text/html")
    if meeting.starts_at is not None:
        message.attach(f"sitzung-{meeting.pk}.ics", calendar.ics_for_guest(participant), "text/calendar")
    return message
