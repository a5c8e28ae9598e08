"""The legal pages (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit).

Their text is the operator's: Markdown files in settings.LEGAL_DIR, read at
request time so that an operator can change them without a release.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
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


def legal_page_html(slug: str) -> str | None:
    """The page's text as safe HTML in the active language, German as the fallback."""
    folder = Path(settings.LEGAL_DIR)
    language = get_language() or settings.LANGUAGE_CODE
    for candidate in (folder / f"{slug}.{language}.md", folder / f"{slug}.md"):
        if candidate.is_file():
            return render_markdown(candidate.read_text(encoding="utf-8"))
    return None
