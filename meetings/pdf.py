"""The minutes as a PDF that reads like a German Protokoll, rendered by weasyprint.

Rendering costs a few hundred milliseconds of CPU, so published minutes are
rendered once per version (Minutes.version) and language, by the task
meetings.render_minutes_pdf after publishing and after every correction, and
stored (MinutesPdf). A request serves the stored file; when it is missing (the
task has not run yet, or the broker was away) the first request renders it
itself, and whoever asks meanwhile is told that it is being made: one
rendering per version, never a stampede. The stored PDF is the same for every
reader, so it shows what everyone who may see the meeting may see
(access.visible_to_audience), whatever the renderer may see himself. Drafts are
for coordinators only and are rendered on each request, as they see them.

The PDF is tagged (PDF/UA-1) for screen readers. One URL fetcher serves every
rendering of the process; it reads the portal's static files from disk and
fetches nothing else, in particular nothing over the network.
"""

import functools
import logging
import mimetypes
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from meetings import selectors_minutes
from meetings.models import Minutes, MinutesPdf
from meetings.selectors_minutes import MinutesRecord

logger = logging.getLogger(__name__)

# The page frame all the portal's PDFs share, then the minutes' own rules.
FRAME_STYLESHEET = "css/pdf_frame.css"
STYLESHEET = "css/minutes_pdf.css"
PDF_VARIANT = "pdf/ua-1"
# Long enough for the slowest rendering on a busy machine; a crashed renderer frees it by then.
RENDER_LOCK_SECONDS = 120


class StaticFileFetcher(URLFetcher):
    """Static files from disk (by their URL or path below STATIC_URL); every other URL is refused.

    Refused resources (a Markdown image on another server, a file: URL) are
    left out of the PDF with a warning, as weasyprint does for any failed fetch.
    """

    def __init__(self):
        # Nothing goes over the network, so an empty TLS context does instead of the default
        # one, whose certificate loading is what made each fetcher expensive.
        super().__init__(ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        prefix = settings.STATIC_URL
        found = finders.find(path.removeprefix(prefix)) if path.startswith(prefix) else None
        if not found:
            raise ValueError(f"not fetched for the PDF: {url}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as file:
            return URLFetcherResponse(url, body=file.read(), headers={"Content-Type": content_type})


@functools.cache
def fetcher() -> StaticFileFetcher:
    """The one URL fetcher of every PDF the portal renders (a new one per document cost ~110 ms)."""
    return StaticFileFetcher()


@functools.cache
def stylesheets(name: str) -> list[CSS]:
    """The shared page frame and the stylesheet `name` (a static path) on top of it."""
    return [CSS(filename=finders.find(path), url_fetcher=fetcher()) for path in (FRAME_STYLESHEET, name)]


def minutes_pdf(record: MinutesRecord) -> bytes:
    """The PDF of a record, in the active language; links point at SITE_URL."""
    html = render_to_string("meetings/minutes_pdf.html", {"record": record})
    document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=fetcher())
    return document.write_pdf(stylesheets=stylesheets(STYLESHEET), pdf_variant=PDF_VARIANT)


def _lock_key(minutes: Minutes, language: str) -> str:
    return f"minutes-pdf:{minutes.pk}:{minutes.version}:{language}"


def render_and_store(*, minutes: Minutes, language: str) -> MinutesPdf | None:
    """Renders and stores the current version in `language`, unless it is stored or being rendered.

    Returns the stored PDF, or None when another process holds the rendering
    (it will store it shortly) or the minutes are not published (any more).
    """
    if minutes.status != Minutes.Status.PUBLISHED:
        return None
    if existing := selectors_minutes.stored_pdf(minutes=minutes, language=language):
        return existing
    lock = _lock_key(minutes, language)
    if not cache.add(lock, "rendering", RENDER_LOCK_SECONDS):
        return None
    try:
        with translation.override(language):
            record = selectors_minutes.audience_record(minutes=minutes)
            content = minutes_pdf(record)
        return _store(minutes=minutes, language=language, content=content)
    finally:
        cache.delete(lock)


def _store(*, minutes: Minutes, language: str, content: bytes) -> MinutesPdf | None:
    with transaction.atomic():
        current = Minutes.objects.select_for_update().filter(pk=minutes.pk).values_list("version", flat=True)
        if current.first() != minutes.version:
            return None  # corrected meanwhile: this rendering is already stale
        stored, created = MinutesPdf.objects.get_or_create(
            minutes=minutes,
            version=minutes.version,
            language=language,
            defaults={"file": ContentFile(content, name="protokoll.pdf")},
        )
        older = list(MinutesPdf.objects.filter(minutes=minutes, language=language).exclude(pk=stored.pk))
        MinutesPdf.objects.filter(pk__in=[pdf.pk for pdf in older]).delete()
        transaction.on_commit(lambda: [pdf.file.delete(save=False) for pdf in older])
    if created:
        logger.info("minutes PDF stored", extra={"minutes_id": minutes.pk, "version": minutes.version})
    return stored


def render_all_languages(*, minutes_id: int, version: int) -> int:
    """What the task does: every language of the given version not stored yet, unless a newer version
    replaced it; returns how many it rendered."""
    minutes = (
        Minutes.objects.select_related("meeting__space", "meeting__audience").filter(pk=minutes_id).first()
    )
    if minutes is None or minutes.version != version:
        return 0
    rendered = 0
    for language, _name in settings.LANGUAGES:
        if selectors_minutes.stored_pdf(minutes=minutes, language=language) is None:
            rendered += render_and_store(minutes=minutes, language=language) is not None
    return rendered
