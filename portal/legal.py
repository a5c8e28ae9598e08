"""The legal pages (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit).

Their text is the operator's: Markdown files in settings.LEGAL_DIR, looked at on each
request so that an operator can change them without a release. Each process renders a
file once per version (its modification time and size) and keeps the HTML.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.markdown import render_markdown


@dataclass(frozen=True)
class LegalPage:
    slug: str
    title: str


PAGES = {
    "impressum": LegalPage("impressum", _("Impressum")),
    "datenschutz": LegalPage("datenschutz", _("Datenschutzerklärung")),
    "barrierefreiheit": LegalPage("barrierefreiheit", _("Erklärung zur Barrierefreiheit")),
}


@lru_cache(maxsize=32)
def _rendered(path: Path, modified_ns: int, size: int) -> SafeString:
    return render_markdown(path.read_text(encoding="utf-8"))


def legal_page_html(slug: str) -> str | None:
    """The page's text as safe HTML in the active language, German as the fallback."""
    folder = Path(settings.LEGAL_DIR)
    language = get_language() or settings.LANGUAGE_CODE
    for candidate in (folder / f"{slug}.{language}.md", folder / f"{slug}.md"):
        if candidate.is_file():
            version = candidate.stat()
            return _rendered(candidate, version.st_mtime_ns, version.st_size)
    return None
