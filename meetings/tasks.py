"""Celery tasks of the meetings app: thin, named, idempotent."""

from celery import shared_task

from meetings import minutes


@shared_task(name="meetings.remind_action_items")
def remind_action_items() -> int:
    """Daily: reminders for action items due soon or overdue, each sent once per item."""
    return minutes.action_items_remind()
