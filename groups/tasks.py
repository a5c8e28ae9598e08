"""Celery tasks of the groups app: thin, named, ids in, idempotent."""

import logging

from celery import shared_task

from groups import subscriptions
from portal.notifications import outbox

logger = logging.getLogger(__name__)


def enqueue_fan_out(page_id: int) -> None:
    """Hands a published page's fan-out to Celery. When the broker is away, the beat task
    `groups.resume_information_mailings` fans the page out later."""
    task = send_information_to_subscribers
    try:
        task.apply_async(kwargs={"page_id": page_id}, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the work for the resume task
        logger.warning("task not enqueued", extra={"task": task.name, "error": repr(exc)})


@shared_task(name="groups.send_information_to_subscribers")
def send_information_to_subscribers(*, page_id: int) -> int:
    """Posts a published page to its subscribers into the outbox and hands out the mails in batches."""
    batches = subscriptions.fan_out(page_id)
    outbox.enqueue([pk for batch in batches for pk in batch])
    return sum(len(batch) for batch in batches)


@shared_task(name="groups.resume_information_mailings")
def resume_information_mailings() -> dict[str, int]:
    """Beat: fans out again the pages whose fan-out a lost message or a dead worker left behind
    (their mails, once posted, are the outbox's replay's)."""
    work = subscriptions.resumable()
    for page_id in work["pages"]:
        send_information_to_subscribers.apply_async(kwargs={"page_id": page_id})
    return {"pages": len(work["pages"])}


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
