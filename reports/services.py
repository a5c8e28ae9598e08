"""Asking for a fresh activity report: recorded, then rendered by the task after the commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groups.models import Space, User
from reports.models import ActivityReport

logger = logging.getLogger(__name__)


def activity_report_request(*, space: Space, year: int, by: User) -> None:
    """Marks the year's report of every language as asked for and enqueues its rendering.

    Without a broker the old file stays until the next request of the PDF finds no newer one
    rendered: the PDF view renders it itself then (reports.views).
    """
    now = timezone.now()
    with transaction.atomic():
        for language, _name in settings.LANGUAGES:
            ActivityReport.objects.update_or_create(
                space=space, year=year, language=language, defaults={"requested_at": now, "requested_by": by}
            )
        transaction.on_commit(lambda: _enqueue(space_id=space.pk, year=year))


def _enqueue(*, space_id: int, year: int) -> None:
    from reports.tasks import render_activity_report

    kwargs = {"space_id": space_id, "year": year}
    try:
        render_activity_report.apply_async(kwargs=kwargs, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the next request of the PDF renders it
        logger.warning("activity report not enqueued", extra={**kwargs, "error": repr(exc)})
