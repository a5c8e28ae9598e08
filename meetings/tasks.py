"""Celery tasks of the meetings app: thin, named, idempotent."""

from celery import shared_task

from groups.tasks import MAIL_RETRY
from meetings import guests, minutes


@shared_task(name="meetings.remind_action_items")
def remind_action_items() -> int:
    """Daily: reminders for action items due soon or overdue, each sent once per item."""
    return minutes.action_items_remind()


@shared_task(name="meetings.send_guest_invitation", **MAIL_RETRY)
def send_guest_invitation(*, participant_id: int, by_id: int | None = None) -> bool:
    """The invitation mail (with the calendar file) to a guest without an account."""
    return guests.invitation_send(participant_id=participant_id, by_id=by_id)


@shared_task(name="meetings.send_guest_update", **MAIL_RETRY)
def send_guest_update(
    *, participant_id: int, sequence: int, by_id: int | None = None, fields: list[str] = ()
) -> bool:
    """A change or the cancellation, with the calendar file, to one guest; once per change (its sequence)."""
    return guests.update_send(participant_id=participant_id, sequence=sequence, by_id=by_id, fields=fields)


@shared_task(name="meetings.render_minutes_pdf")
def render_minutes_pdf(*, minutes_id: int, version: int) -> int:
    """After publishing or a correction: the PDF of that version in every language, once.

    Nothing to do (0) when it is stored already, is being rendered, or a newer
    version replaced it (whose own task renders that one).
    """
    from meetings import pdf  # weasyprint only in the processes that render

    return pdf.render_all_languages(minutes_id=minutes_id, version=version)
