"""Office uploads: macros, archives that unpack to far more than they weigh, and damaged files."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from groups.models import Document
from portal.uploads import DOCUMENT_KINDS, DOCX, ODT, XLSX, validate_upload
from tests.once import token

MB = 1024 * 1024
MACROS = "Die Datei enthält Makros und wird daher nicht angenommen."
UNPACKED = "Die Datei enthält entpackt mehr als 100"
DAMAGED = "Die Datei ist beschädigt und kann nicht angenommen werden."


@pytest.fixture(autouse=True)
def _german():
    """The messages are compared in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield


def _archive(members: dict[str, bytes], *, content_types: str = "<Types/>", odf: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if odf:
            archive.writestr("mimetype", ODT.content_type, compress_type=zipfile.ZIP_STORED)
        else:
            archive.writestr("[Content_Types].xml", content_types)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _check(name: str, data: bytes):
    return validate_upload(SimpleUploadedFile(name, data), kinds=DOCUMENT_KINDS, max_bytes=20 * MB)


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        _check(name, data)
    return refused.value.messages[0]


def test_a_plain_docx_and_odt_are_accepted():
    assert _check("bericht.docx", _archive({"word/document.xml": b"<w:document/>"})) == DOCX
    assert _check("bericht.odt", _archive({"content.xml": b"<office:document/>"}, odf=True)) == ODT


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("makro.docx", _archive({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})),
        ("makro.xlsx", _archive({"xl/workbook.xml": b"<x/>", "xl/VBAPROJECT.BIN": b"\xd0\xcf"})),
        (
            "makro.docx",
            _archive(
                {"word/document.xml": b"<w/>"},
                content_types='<Types><Override ContentType="application/'
                'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            ),
        ),
        ("makro.odt", _archive({"content.xml": b"<o/>", "Basic/Standard/Module1.xml": b"<s/>"}, odf=True)),
        ("makro.odt", _archive({"content.xml": b"<o/>", "Scripts/python/run.py": b"import os"}, odf=True)),
    ],
)
def test_office_files_with_macros_are_refused(name, data):
    assert _refusal(name, data).startswith(MACROS)


def test_a_member_of_a_gibibyte_inside_a_megabyte_is_refused_without_unpacking():
    # What a gibibyte of zeros looks like deflated: the central directory states the unpacked
    # size (patched in here, so the test need not compress a gibibyte) and that is all we read.
    data = bytearray(_archive({"word/document.xml": bytes(MB)}))
    entry = data.rindex(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = (1024 * MB).to_bytes(4, "little")
    assert len(data) < MB

    assert _refusal("bombe.docx", bytes(data)).startswith(UNPACKED)


def test_an_archive_that_unpacks_a_hundredfold_above_ten_megabytes_is_refused():
    assert _refusal("luftig.xlsx", _archive({"xl/sheet.xml": bytes(20 * MB)})).startswith(UNPACKED)


def test_a_damaged_archive_is_refused_as_damaged():
    data = _archive({"word/document.xml": b"<w:document/>"})
    assert _refusal("kaputt.docx", data[: len(data) // 2]).startswith(DAMAGED)


def test_an_archive_with_a_member_twice_is_refused_as_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<a/>")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("xl/workbook.xml", "<b/>")

    assert _refusal("doppelt.xlsx", buffer.getvalue()).startswith(DAMAGED)
    assert XLSX in DOCUMENT_KINDS


def test_the_upload_page_names_the_macro_refusal_and_keeps_the_title(client, partner, fachgruppe):
    client.force_login(partner)
    data = _archive({"word/document.xml": b"<w/>", "word/vbaProject.bin": b"\xd0\xcf"})

    response = client.post(
        f"/spaces/{fachgruppe.slug}/documents/new/",
        {"title": "Mit Makro", "file": SimpleUploadedFile("makro.docx", data), **token()},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert MACROS in html
    assert 'value="Mit Makro"' in html
    assert not Document.objects.exists()
