"""Guests without an account: their invitation arrives by mail, with the meeting's calendar file.

The outbox of portal.notifications reaches accounts only; a guest is an
address on a Participant. The mail is handed to Celery after the invitation
is committed (meetings.send_guest_invitation, retried on transient mail
errors); when the broker cannot be reached it is sent at once instead, so
an invitation is not lost to a Redis outage. It is written in the language
the coordinator chose for the guest, else in the portal's (German).

Later changes of date, time or place and a cancellation reach every guest
with an address too (update_send, one mail per guest and change, with the
calendar file: REQUEST with the new SEQUENCE, or CANCEL).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings import calendar, rsvp
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
    with translation.override(participant.language or settings.LANGUAGE_CODE):
        message = _invitation_message(participant, inviter)
    message.send()
    return True


def enqueue_updates(*, meeting: Meeting, by: User, fields: list[str] = ()) -> None:
    """After the commit: one mail per guest with an address about this change (or the cancellation)."""
    ids = list(
        Participant.objects.filter(meeting=meeting, user__isnull=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    sequence, by_id, fields = meeting.sequence, by.pk, list(fields)

    def enqueue() -> None:
        from meetings.tasks import send_guest_update

        for participant_id in ids:
            kwargs = {
                "participant_id": participant_id,
                "sequence": sequence,
                "by_id": by_id,
                "fields": fields,
            }
            try:
                send_guest_update.apply_async(kwargs=kwargs, retry=False)
            except Exception as exc:  # noqa: BLE001 - any broker failure: send it from here instead
                logger.warning("guest update not enqueued, sending it now", extra={"error": repr(exc)})
                update_send(**kwargs)

    transaction.on_commit(enqueue)


def update_send(
    *, participant_id: int, sequence: int, by_id: int | None = None, fields: list[str] = ()
) -> bool:
    """Mails one guest what changed; False when a newer change has its own mail, or no guest is left."""
    participant = (
        Participant.objects.select_related("meeting__space")
        .filter(pk=participant_id, user__isnull=True)
        .exclude(email="")
        .first()
    )
    if participant is None or participant.meeting.sequence != sequence:
        return False
    inviter = User.objects.filter(pk=by_id, is_active=True).first() if by_id else None
    with translation.override(participant.language or settings.LANGUAGE_CODE):
        message = _update_message(participant, inviter, fields)
    message.send()
    return True


def _details(participant: Participant, inviter: User | None) -> dict:
    meeting = participant.meeting
    return {
        "participant": participant,
        "meeting": meeting,
        "inviter": inviter,
        "when": dates.period(meeting.starts_at, meeting.ends_at) if meeting.starts_at else "",
        "video_url": meeting.video_url if access.guest_sees_meeting_link(participant) else "",
        "answer_links": rsvp.labelled_links(participant) if rsvp.answerable(meeting) else {},
        # Only a public meeting's page opens without an account.
        "url": settings.SITE_URL + meeting.get_absolute_url()
        if access.can_view(AnonymousUser(), meeting)
        else "",
        "site_url": settings.SITE_URL,
    }


def _update_message(participant: Participant, inviter: User | None, fields) -> PortalEmail:
    meeting = participant.meeting
    cancelled = meeting.status == Meeting.Status.CANCELLED
    changed = ", ".join(str(Meeting._meta.get_field(name).verbose_name) for name in fields)
    context = {**_details(participant, inviter), "cancelled": cancelled, "changed": changed}
    if cancelled:
        subject = _("Sitzung abgesagt: %(title)s") % {"title": meeting.title}
    else:
        subject = _("Sitzung geändert: %(title)s") % {"title": meeting.title}
    return _message(participant, inviter, subject, "meetings/email/guest_update", context)


def _message(participant, inviter, subject: str, template: str, context: dict) -> PortalEmail:
    meeting = participant.meeting
    message = PortalEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"{template}.txt", context),
        to=[participant.email],
        reply_to=[inviter.email] if inviter is not None else [],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    if meeting.starts_at is not None:
        message.attach(f"sitzung-{meeting.pk}.ics", calendar.ics_for_guest(participant), "text/calendar")
    return message


def _invitation_message(participant: Participant, inviter: User | None) -> PortalEmail:
    meeting = participant.meeting
    context = {
        **_details(participant, inviter),
        "agenda": list(meeting.agenda_items.order_by("position", "pk"))
        if meeting.agenda_published_at
        else [],
    }
    subject = _("Einladung: %(title)s") % {"title": meeting.title}
    return _message(participant, inviter, subject, "meetings/email/guest_invitation", context)
