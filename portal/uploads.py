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


# Office files are zip archives. Their members are judged from the central directory, which
# states every member's size without anything being unpacked.
ARCHIVE_MAX_UNPACKED = 100 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
ARCHIVE_RATIO_FROM = 10 * 1024 * 1024
ARCHIVE_MAX_MEMBERS = 10_000
CONTENT_TYPES_MAX = 1024 * 1024
# OOXML keeps VBA in vbaProject.bin (and its data in vbaData.xml); .docm/.xlsm/.pptm declare
# macro-enabled main parts. ODF keeps Basic macros in Basic/ and other scripts in Scripts/.
OOXML_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
OOXML_MACRO_TYPES = (b"macroenabled", b"vbaproject")
ODF_MACRO_FOLDERS = ("basic/", "scripts/")


class _MalformedError(Exception):
    pass


def _open_archive(upload: UploadedFile) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _MalformedError from error
    names = [info.filename for info in archive.infolist()]
    if not names or len(names) != len(set(names)):
        raise _MalformedError
    return archive


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
        with _open_archive(upload) as archive:
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
    except (_MalformedError, zipfile.BadZipFile, OSError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def check_archive(upload: UploadedFile) -> None:
    """Refuses an office file that is damaged, unpacks to far more than it weighs, or carries macros."""
    damaged = ValidationError(
        _("Die Datei ist beschädigt und kann nicht angenommen werden. Bitte speichern Sie sie neu."),
        code="damaged",
    )
    try:
        with _open_archive(upload) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            if (
                len(members) > ARCHIVE_MAX_MEMBERS
                or unpacked > ARCHIVE_MAX_UNPACKED
                or (unpacked > ARCHIVE_RATIO_FROM and unpacked > ARCHIVE_MAX_RATIO * max(upload.size, 1))
            ):
                raise ValidationError(
                    _(
                        "Die Datei enthält entpackt mehr als %(limit)s oder ist auffällig stark "
                        "komprimiert und wird daher nicht angenommen."
                    )
                    % {"limit": filesizeformat(ARCHIVE_MAX_UNPACKED)},
                    code="unpacked_size",
                )
            names = [info.filename.lower() for info in members]
            macros = any(name.rsplit("/", 1)[-1] in OOXML_MACRO_PARTS for name in names) or any(
                name.startswith(ODF_MACRO_FOLDERS) for name in names
            )
            if not macros and "[content_types].xml" in names:
                info = archive.getinfo(members[names.index("[content_types].xml")].filename)
                if info.file_size > CONTENT_TYPES_MAX:
                    raise damaged
                declared = archive.read(info).lower()
                macros = any(marker in declared for marker in OOXML_MACRO_TYPES)
    except (_MalformedError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise damaged from None
    finally:
        upload.seek(0)
    if macros:
        raise ValidationError(
            _(
                "Die Datei enthält Makros und wird daher nicht angenommen. "
                "Bitte speichern Sie sie ohne Makros (z. B. als .docx statt .docm)."
            ),
            code="macros",
        )


def validate_upload(upload: UploadedFile, *, kinds: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Returns the file's kind, or raises a ValidationError a person can act on."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    kind = sniff_kind(upload)
    if kind is None and _looks_like_zip(upload):
        check_archive(upload)
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
    if kind is not PDF:
        check_archive(upload)
    return kind


def _looks_like_zip(upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"
