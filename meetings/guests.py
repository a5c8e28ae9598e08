"""Guests without an account: their invitation arrives by mail, with the meeting's calendar file.

The outbox of notifications reaches accounts only; a guest is an address on a
Participant. Their mails go through the portal's one mail path
(portal.notifications.outbox): posted in the transaction that invites the guest
or changes the meeting, built by the worker when it sends them, in the language
the coordinator chose for the guest, else in the portal's (German). When the
broker is away, the outbox's replay sends them a minute later; nothing is sent
from the request.

Later changes of date, time or place and a cancellation reach every guest
with an address too (one mail per guest and change, keyed by the meeting's
SEQUENCE, with the calendar file: REQUEST with the new SEQUENCE, or CANCEL);
a mail that a newer change overtook before it left is skipped.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings import rsvp, selectors_calendar
from meetings.models import Meeting, Participant
from portal import dates
from portal.email import PortalEmail
from portal.notifications import outbox
from portal.notifications.models import Mail

INVITATION_MAIL = "meetings/guest_invitation"
UPDATE_MAIL = "meetings/guest_update"


def _guests():
    return Participant.objects.filter(user__isnull=True).exclude(email="")


def enqueue_invitation(*, participant_id: int, by_id: int | None) -> None:
    """Posts the guest's invitation into the outbox; once per guest."""
    email = _guests().filter(pk=participant_id).values_list("email", flat=True).first()
    if email:
        outbox.post(
            template=INVITATION_MAIL,
            recipient=email,
            params={"participant": participant_id, "by": by_id},
            key=f"guest-invitation:{participant_id}",
        )


def build_invitation(mail: Mail) -> PortalEmail | None:
    """The outbox's builder; None when there is no one to write to (any more)."""
    participant = _guests().select_related("meeting__space").filter(pk=mail.params["participant"]).first()
    if participant is None or participant.meeting.status == Meeting.Status.CANCELLED:
        return None
    inviter = _inviter(mail.params.get("by"))
    with translation.override(participant.language or settings.LANGUAGE_CODE):
        return _invitation_message(participant, inviter)


def enqueue_updates(*, meeting: Meeting, by: User, fields: list[str] = ()) -> None:
    """One mail per guest with an address about this change (or the cancellation), sent after the commit."""
    for participant_id, email in _guests().filter(meeting=meeting).values_list("pk", "email"):
        outbox.post(
            template=UPDATE_MAIL,
            recipient=email,
            params={
                "participant": participant_id,
                "sequence": meeting.sequence,
                "by": by.pk,
                "fields": list(fields),
            },
            key=f"guest-update:{participant_id}:{meeting.sequence}",
        )


def build_update(mail: Mail) -> PortalEmail | None:
    """The outbox's builder; None when a newer change has its own mail, or no guest is left."""
    participant = _guests().select_related("meeting__space").filter(pk=mail.params["participant"]).first()
    if participant is None or participant.meeting.sequence != mail.params["sequence"]:
        return None
    inviter = _inviter(mail.params.get("by"))
    with translation.override(participant.language or settings.LANGUAGE_CODE):
        return _update_message(participant, inviter, mail.params.get("fields", []))


def _inviter(by_id: int | None) -> User | None:
    return User.objects.filter(pk=by_id, is_active=True).first() if by_id else None


def register_mails() -> None:
    outbox.register_builder(INVITATION_MAIL, build_invitation)
    outbox.register_builder(UPDATE_MAIL, build_update)


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
        message.attach(
            f"sitzung-{meeting.pk}.ics", selectors_calendar.ics_for_guest(participant), "text/calendar"
        )
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
