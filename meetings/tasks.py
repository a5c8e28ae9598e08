"""Celery tasks of the meetings app: thin, named, idempotent."""

from celery import shared_task

from meetings import minutes


@shared_task(name="meetings.remind_action_items")
def remind_action_items() -> int:
    """Daily: reminders for action items due soon or overdue, each sent once per item."""
    return minutes.action_items_remind()


@shared_task(name="meetings.render_minutes_pdf")
def render_minutes_pdf(*, minutes_id: int, version: int) -> int:
    """After publishing or a correction: the PDF of that version in every language, once.

    Nothing to do (0) when it is stored already, is being rendered, or a newer
    version replaced it (whose own task renders that one).
    """
    from meetings import pdf  # weasyprint only in the processes that render

    return pdf.render_all_languages(minutes_id=minutes_id, version=version)
