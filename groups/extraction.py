"""The text of uploaded document versions (PDF, DOCX, ODT), read once after the upload, for the search.

Cheap on purpose: PDFs through pypdf's text layer (no OCR), at most
MAX_PAGES pages; DOCX and ODT by reading the paragraphs' text out of the
archive's main XML part, at most MAX_XML_BYTES of it (the upload check in
portal/uploads.py has already refused zip bombs and macros). The text kept is
at most MAX_CHARS characters: PostgreSQL's tsvector holds at most 1 MB, and
the first pages say what a document is about. Any file that cannot be read
simply has no text; the upload itself never fails because of it.
"""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from django.utils import timezone

from groups.models import DocumentVersion
from portal.uploads import DOCX, ODT, PDF

logger = logging.getLogger(__name__)

MAX_PAGES = 200
MAX_CHARS = 200_000
MAX_XML_BYTES = 20 * 1024 * 1024

_WORD_TEXT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_WORD_PARAGRAPH = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def version_text_extract(*, version_id: int) -> bool:
    """Reads and stores the text of one version; idempotent (a version already read is left alone)."""
    version = DocumentVersion.objects.filter(pk=version_id, text_extracted_at__isnull=True).first()
    if version is None:
        return False
    text = ""
    try:
        with version.file.open("rb") as stream:
            text = text_of(stream, content_type=version.content_type)
    except Exception as exc:  # noqa: BLE001 - a damaged file has no text; nothing else may follow from it
        logger.warning("document text not extracted", extra={"version": version_id, "error": repr(exc)})
    DocumentVersion.objects.filter(pk=version_id).update(
        extracted_text=_clean(text), text_extracted_at=timezone.now()
    )
    return True


def text_of(stream, *, content_type: str) -> str:
    if content_type == PDF.content_type:
        return _pdf_text(stream)
    if content_type == DOCX.content_type:
        return _xml_text(stream, member="word/document.xml", text_tag=_WORD_TEXT, block_tag=_WORD_PARAGRAPH)
    if content_type == ODT.content_type:
        return _xml_text(stream, member="content.xml", text_tag=None, block_tag=None)
    return ""


def _pdf_text(stream) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    parts, length = [], 0
    for page in reader.pages[:MAX_PAGES]:
        part = page.extract_text() or ""
        parts.append(part)
        length += len(part)
        if length >= MAX_CHARS:
            break
    return "\n".join(parts)


def _xml_text(stream, *, member: str, text_tag: str | None, block_tag: str | None) -> str:
    """The character data of the document part, one line per paragraph.

    ODF nests text in many elements (text:p, text:h, text:span, ...): every
    text inside the text namespace is taken. OOXML keeps it in w:t elements.
    """
    with zipfile.ZipFile(stream) as archive, archive.open(member) as part:
        data = part.read(MAX_XML_BYTES)
    parts, length = [], 0
    # expat (2.4.1 and later, as bundled with Python 3.12+) refuses entity expansion attacks, and
    # ElementTree never fetches external entities: the S314 risks do not apply.
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):  # noqa: S314
        if block_tag is None:
            if element.tag.startswith("{" + _ODF_TEXT + "}") and element.tag.endswith(("}p", "}h")):
                chunk = "".join(element.itertext())
                parts.append(chunk + "\n")
                length += len(chunk)
                element.clear()
        elif element.tag == text_tag:
            parts.append(element.text or "")
            length += len(element.text or "")
        elif element.tag == block_tag:
            parts.append("\n")
            element.clear()
        if length >= MAX_CHARS:
            break
    return "".join(parts)


def _clean(text: str) -> str:
    # NUL cannot be stored in a PostgreSQL text column; long runs of whitespace say nothing.
    text = _SPACES.sub(" ", text.replace("\x00", " "))
    return _BLANK_LINES.sub("\n\n", text)[:MAX_CHARS].strip()
