"""The activity report as a tagged PDF (PDF/UA-1), rendered by weasyprint as the minutes are
(meetings/pdf.py: the same static-files-only fetcher, the same variant).

Rendering takes a second or more, so the task reports.render_activity_report
renders and stores it (ActivityReport) when a coordinator asks; a request
serves the stored file. When none is stored yet the first request renders it
itself under a lock, and whoever asks meanwhile is told that it is being made.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from groups.models import Space
from meetings.pdf import PDF_VARIANT, fetcher, stylesheets
from reports import annual, selectors
from reports.models import ActivityReport

logger = logging.getLogger(__name__)

STYLESHEET = "css/report_pdf.css"
RENDER_LOCK_SECONDS = 300


def report_pdf(content: annual.ActivityReportContent) -> bytes:
    """The PDF of a report's content, in the active language; links point at SITE_URL."""
    html = render_to_string("reports/activity_report_pdf.html", {"report": content})
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher())
    return document.write_pdf(stylesheets=stylesheets(STYLESHEET), pdf_variant=PDF_VARIANT)


def _lock_key(space: Space, year: int, language: str) -> str:
    return f"activity-report:{space.pk}:{year}:{language}"


def render_and_store(*, space: Space, year: int, language: str) -> ActivityReport | None:
    """Renders the report now and stores it in place of the old file; None when another process
    holds the rendering of the same report (it stores it shortly)."""
    lock = _lock_key(space, year, language)
    if not cache.add(lock, "rendering", RENDER_LOCK_SECONDS):
        return None
    try:
        started = timezone.now()
        with translation.override(language):
            content = report_pdf(annual.activity_report(space=space, year=year))
        return _store(space=space, year=year, language=language, content=content, started=started)
    finally:
        cache.delete(lock)


def _store(*, space: Space, year: int, language: str, content: bytes, started) -> ActivityReport:
    with transaction.atomic():
        report, _created = ActivityReport.objects.select_for_update().get_or_create(
            space=space, year=year, language=language
        )
        old = report.file.name if report.file else None
        report.file.save(f"taetigkeitsbericht-{year}.pdf", ContentFile(content), save=False)
        report.rendered_at = started
        report.save(update_fields=["file", "rendered_at"])
        if old:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    logger.info("activity report stored", extra={"space_id": space.pk, "year": year, "language": language})
    return report


def render_requested(*, space_id: int, year: int) -> int:
    """What the task does: every language of the report whose rendering was asked for after the
    stored one (or that has none yet); returns how many it rendered."""
    space = Space.objects.filter(pk=space_id).first()
    if space is None:
        return 0
    rendered = 0
    for language, _name in settings.LANGUAGES:
        stored = selectors.stored_report(space=space, year=year, language=language)
        if stored is not None and not stored.is_pending:
            continue
        rendered += render_and_store(space=space, year=year, language=language) is not None
    return rendered
