"""Celery tasks of the notifications: thin, named, ids in, idempotent."""

import logging
import smtplib

from celery import shared_task
from django.db import OperationalError

from portal.notifications import delivery, digests, outbox, tallies
from portal.notifications.kinds import Channel

logger = logging.getLogger(__name__)

TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(
    name="notifications.dispatch_event",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=5 * 60,
    retry_jitter=True,
    max_retries=10,
)
def dispatch_event(*, event_id: int) -> int:
    batches = delivery.dispatch(event_id)
    for batch in batches:
        send_immediate.apply_async(kwargs={"delivery_ids": batch})
    return sum(len(batch) for batch in batches)


@shared_task(
    name="notifications.send_immediate",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=10,
)
def send_immediate(*, delivery_ids: list[int]) -> int:
    return delivery.send_immediate(delivery_ids)


@shared_task(
    name="notifications.send_mails",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=10,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=10,
)
def send_mails(*, mail_ids: list[int]) -> int:
    """Mails to one address (portal.notifications.outbox): account mails, invitations, subscribers."""
    return outbox.send_mails(mail_ids)


@shared_task(name="notifications.replay_outbox")
def replay_outbox() -> dict[str, int]:
    """Beat, every minute: hands out again what the broker lost or never got."""
    work = delivery.recover()
    mails = outbox.recover()
    for start in range(0, len(mails), outbox.BATCH_SIZE):
        send_mails.apply_async(kwargs={"mail_ids": mails[start : start + outbox.BATCH_SIZE]})
    for event_id in work["events"]:
        dispatch_event.apply_async(kwargs={"event_id": event_id})
    for batch in work["mail_batches"]:
        send_immediate.apply_async(kwargs={"delivery_ids": batch})
    for channel, user_id in work["digests"]:
        send_digest.apply_async(kwargs={"channel": channel, "user_id": user_id})
    return {
        "events": len(work["events"]),
        "mail_batches": len(work["mail_batches"]),
        "digests": len(work["digests"]),
        "mails": len(mails),
    }


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """Beat, every day at 07:00: one digest task per person with something new."""
    return _fan_out_digests(Channel.DAILY)


@shared_task(name="notifications.send_weekly_digests")
def send_weekly_digests() -> int:
    """Beat, Mondays at 07:00."""
    return _fan_out_digests(Channel.WEEKLY)


def _fan_out_digests(channel: Channel) -> int:
    user_ids = digests.due_user_ids(channel)
    for user_id in user_ids:
        send_digest.apply_async(kwargs={"channel": channel.value, "user_id": user_id})
    return len(user_ids)


@shared_task(
    name="notifications.send_digest",
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=10,
)
def send_digest(*, channel: str, user_id: int) -> int:
    return digests.send_digest(channel=Channel(channel), user_id=user_id)


@shared_task(name="notifications.roll_up_deliveries")
def roll_up_deliveries() -> int:
    """Beat, every night: the settled days' deliveries counted for the dashboard (tallies)."""
    return tallies.roll_up_deliveries()
