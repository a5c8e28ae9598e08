"""Celery tasks of the privacy app: thin, named, ids in, idempotent."""

import logging

from celery import shared_task
from django.db import OperationalError

from privacy import builds, retention

logger = logging.getLogger(__name__)


@shared_task(
    name="privacy.build_export",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=5,
)
def build_export(*, export_id: int) -> bool:
    return builds.export_build(export_id)


@shared_task(name="privacy.delete_expired_exports")
def delete_expired_exports() -> int:
    """Beat, every hour: ZIPs past their week go; exports the broker lost are handed out again."""
    deleted = builds.delete_expired_exports()
    for export_id in builds.stale_pending_export_ids():
        build_export.apply_async(kwargs={"export_id": export_id})
    logger.info("expired data exports deleted", extra={"deleted": deleted})
    return deleted


@shared_task(name="privacy.forget_delivered_mail")
def forget_delivered_mail() -> int:
    """Beat, daily at 03:29."""
    deleted = retention.forget_delivered_mail()
    logger.info("delivered mail journal forgotten", extra={"deleted": deleted})
    return deleted


@shared_task(name="privacy.forget_old_sessions")
def forget_old_sessions() -> int:
    """Beat, daily at 03:19, after portal.clear_expired_sessions (03:17)."""
    deleted = retention.forget_old_sessions()
    logger.info("ended sessions forgotten", extra={"deleted": deleted})
    return deleted
