"""The legal pages (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit).

Their text is the operator's: Markdown files in settings.LEGAL_DIR, looked at on each
request so that an operator can change them without a release. Each process renders a
file once per version (its modification time and size) and keeps the HTML.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
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


def _privacy_note() -> SafeString:
    return format_html(
        gettext("Was mit Ihren Angaben geschieht, lesen Sie in der {link}Datenschutzerklärung{end}."),
        link=format_html('<a href="{}">', reverse("legal", kwargs={"slug": "datenschutz"})),
        end=SafeString("</a>"),
    )


# One sentence with the link to the Datenschutzerklärung, for the help text of a consent box and
# the sign-up form; lazy, so that it is worded in the language of the request that shows it.
privacy_note = lazy(_privacy_note, SafeString)
