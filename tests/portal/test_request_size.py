"""A request body larger than the largest upload is refused before it is read."""

import io

from django.conf import settings

from portal.limits import UPLOAD_MAX_BYTES

MB = 1024 * 1024


class _Untouchable(io.RawIOBase):
    """A request body that records whether anyone tried to read it."""

    def __init__(self):
        self.read_from = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.read_from = True
        raise AssertionError("the body was read")


def test_a_declared_body_of_120_mb_is_answered_413_without_being_read(client, partner, fachgruppe):
    client.force_login(partner)
    body = _Untouchable()

    response = client.post(
        f"/spaces/{fachgruppe.slug}/documents/new/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(120 * MB),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    assert "Die Anfrage ist zu groß" in response.content.decode()
    assert "Das Portal nimmt Dateien bis 20,0\xa0MB an." in response.content.decode()
    assert body.read_from is False


def test_the_413_page_speaks_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post("/fragen/neu/", content_type="text/plain", CONTENT_LENGTH=str(120 * MB))

    assert response.status_code == 413
    assert response["Content-Language"] == "en"


def test_the_cap_leaves_room_for_the_largest_upload_and_its_fields():
    assert settings.REQUEST_BODY_MAX_BYTES == UPLOAD_MAX_BYTES + MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MB
