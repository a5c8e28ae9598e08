"""Celery tasks of the groups app: thin, named, ids in, idempotent."""

import logging
import smtplib

from celery import shared_task

from groups import subscriptions

logger = logging.getLogger(__name__)

TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
MAIL_RETRY = {
    "autoretry_for": TRANSIENT_MAIL_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(name="groups.send_subscription_confirmation", **MAIL_RETRY)
def send_subscription_confirmation(*, subscriber_id: int) -> bool:
    return subscriptions.send_confirmation(subscriber_id)


@shared_task(name="groups.send_information_to_subscribers")
def send_information_to_subscribers(*, page_id: int) -> int:
    """Fans a published page out to its subscribers in batches of mails."""
    batches = subscriptions.fan_out(page_id)
    for batch in batches:
        send_information_batch.apply_async(kwargs={"delivery_ids": batch})
    return sum(len(batch) for batch in batches)


@shared_task(name="groups.send_information_batch", **MAIL_RETRY)
def send_information_batch(*, delivery_ids: list[int]) -> int:
    return subscriptions.send_batch(delivery_ids)


@shared_task(name="groups.resume_information_mailings")
def resume_information_mailings() -> dict[str, int]:
    """Beat: hands out again the fan-outs and mails that a lost message or a dead worker left behind."""
    work = subscriptions.resumable()
    for page_id in work["pages"]:
        send_information_to_subscribers.apply_async(kwargs={"page_id": page_id})
    for batch in work["mail_batches"]:
        send_information_batch.apply_async(kwargs={"delivery_ids": batch})
    return {"pages": len(work["pages"]), "mail_batches": len(work["mail_batches"])}


@shared_task(name="groups.forget_unconfirmed_subscribers")
def forget_unconfirmed_subscribers() -> int:
    deleted = subscriptions.forget_unconfirmed()
    logger.info("unconfirmed subscriptions forgotten", extra={"deleted": deleted})
    return deleted


@shared_task(name="groups.extract_document_text")
def extract_document_text(*, version_id: int) -> bool:
    """Reads the text of an uploaded version for the search (groups.extraction)."""
    from groups import extraction

    return extraction.version_text_extract(version_id=version_id)
