"""Checks for uploaded files: the type is read from the content, not trusted from the name."""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
)
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)")
PPTX = FileKind(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint (PPTX)"
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)")

DOCUMENT_KINDS = (PDF, DOCX, XLSX, ODT)


def sniff_kind(upload: UploadedFile) -> FileKind | None:
    """What the file really is, judged by its bytes."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                # The ODF mimetype entry is a few dozen bytes; anything larger is not one.
                if info.file_size < 100 and archive.read("mimetype").strip() == ODT.content_type.encode():
                    return ODT
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
                if any(name.startswith("ppt/") for name in names):
                    return PPTX
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    return None


def validate_upload(upload: UploadedFile, *, kinds: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Returns the file's kind, or raises a ValidationError a person can act on."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    kind = sniff_kind(upload)
    allowed = ", ".join(k.label for k in kinds)
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("Dieser Dateityp wird nicht angenommen. Erlaubt sind: %(allowed)s.") % {"allowed": allowed},
            code="type",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension != kind.extension:
        raise ValidationError(
            _("Der Inhalt der Datei ist %(kind)s, der Name endet aber nicht auf .%(extension)s.")
            % {"kind": kind.label, "extension": kind.extension},
            code="extension",
        )
    return kind
