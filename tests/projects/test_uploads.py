"""Pictures and attachments: checked by content and size, pictures cleaned, files served by the ring rules."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects.models import ProjectAttachment, ProjectImage
from tests.factories.projects import ProjectFactory, accepted
from tests.projects.files import jpeg_with_location, pdf, png_bomb

pytestmark = pytest.mark.django_db


def _upload_image(client, project, upload, alt_text="Auszubildende an der Hobelbank"):
    return client.post(
        f"/projects/{project.slug}/bilder/",
        {"image": upload, "alt_text": alt_text, "caption": "Praxistag 2025"},
    )


def test_a_photo_is_resized_and_loses_its_location_and_camera(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    response = _upload_image(client, project, jpeg_with_location())
    assert response.status_code == 302
    picture = ProjectImage.objects.get()
    with picture.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert max(image.size) == 1600
        assert len(image.getexif()) == 0
        assert b"SERIAL-4711" not in stored.open("rb").read()
    with picture.thumbnail.open("rb") as stored:
        assert max(Image.open(stored).size) == 480
    response = client.get(f"/projects/{project.slug}/bilder/{picture.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"SERIAL-4711" not in b"".join(response.streaming_content)


def test_a_file_that_is_not_a_picture_is_refused_and_the_description_kept(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    response = _upload_image(client, project, pdf(name="foto.jpg"), alt_text="Meine Beschreibung")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Diese Datei ist kein Bild, das wir annehmen. Erlaubt sind: JPEG, PNG, WebP." in page
    assert 'value="Meine Beschreibung"' in page
    assert not ProjectImage.objects.exists()


def test_a_picture_over_the_size_limit_is_refused(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    oversized = SimpleUploadedFile("gross.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1))
    response = _upload_image(client, project, oversized)
    assert response.status_code == 400
    assert "erlaubt sind höchstens 10" in response.content.decode()
    assert not ProjectImage.objects.exists()


@pytest.mark.parametrize(
    ("side", "message"),
    [
        (7_000, "Das Bild hat 7000 × 7000 Bildpunkte; erlaubt sind höchstens 40 Megapixel."),
        (30_000, "Das Bild hat zu viele Bildpunkte; erlaubt sind höchstens 40 Megapixel."),
    ],
)
def test_a_decompression_bomb_is_refused_before_it_is_unpacked(client, partner, side, message):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    bomb = png_bomb(side)
    assert bomb.size < 10_000
    response = _upload_image(client, project, bomb)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProjectImage.objects.exists()


def test_a_png_with_transparency_stays_a_png(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(buffer, "PNG")
    _upload_image(client, project, SimpleUploadedFile("logo.png", buffer.getvalue()))
    picture = ProjectImage.objects.get()
    assert picture.image.name.endswith(".png")
    assert client.get(f"/projects/{project.slug}/bilder/{picture.pk}/")["Content-Type"] == "image/png"


def test_attachments_are_checked_by_content_type_and_size(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    url = f"/projects/{project.slug}/anhaenge/"
    assert client.post(url, {"file": pdf(), "title": "Projektflyer"}).status_code == 302

    response = client.post(
        url, {"file": SimpleUploadedFile("tool.pdf", b"MZ\x90\x00 windows program"), "title": "x"}
    )
    assert response.status_code == 400
    assert "Dieser Dateityp wird nicht angenommen." in response.content.decode()

    response = client.post(url, {"file": pdf(name="bericht.docx"), "title": "Bericht"})
    assert "der Name endet aber nicht auf .pdf" in response.content.decode()

    response = client.post(url, {"file": pdf(size=20 * 1024 * 1024 + 1), "title": "Riesig"})
    assert "erlaubt sind höchstens 20" in response.content.decode()
    assert list(ProjectAttachment.objects.values_list("title", flat=True)) == ["Projektflyer"]

    attachment = ProjectAttachment.objects.get()
    response = client.get(f"/projects/{project.slug}/anhaenge/{attachment.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_files_of_a_draft_answer_404_to_others_and_those_of_an_accepted_project_are_public(
    client, partner, inner_member, coordinator
):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)
    _upload_image(client, project, jpeg_with_location(800, 600))
    client.post(f"/projects/{project.slug}/anhaenge/", {"file": pdf(), "title": "Flyer"})
    picture, attachment = ProjectImage.objects.get(), ProjectAttachment.objects.get()
    urls = [
        f"/projects/{project.slug}/bilder/{picture.pk}/",
        f"/projects/{project.slug}/bilder/{picture.pk}/vorschau/",
        f"/projects/{project.slug}/anhaenge/{attachment.pk}/",
    ]
    client.force_login(inner_member)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert client.post(f"/projects/{project.slug}/bilder/{picture.pk}/entfernen/").status_code == 404

    accepted(project, by=coordinator)
    client.logout()
    responses = [client.get(url) for url in urls]
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert responses[0]["Cache-Control"] == "public, max-age=86400"
    # Nobody but the coordinators changes an accepted project's files.
    client.force_login(partner)
    assert client.post(f"/projects/{project.slug}/bilder/{picture.pk}/entfernen/").status_code == 404
    assert ProjectImage.objects.exists()
