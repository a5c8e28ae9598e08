"""The spaces as people use them, through the test client."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from groups import services
from groups.models import Document, Invitation, JoinRequest, Membership, Profile, Thread
from tests.factories import TEST_PASSWORD, UserFactory
from tests.factories.groups import ThreadFactory
from tests.once import token

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def test_space_list_shows_both_spaces_and_counts_only_for_members(client, login, partner, fachgruppe, inner):
    anonymous_html = client.get("/spaces/").content.decode()
    partner_html = login(partner).get("/spaces/").content.decode()

    for html in (anonymous_html, partner_html):
        assert "Fachgruppe Handwerk" in html
        assert "Fachkräftezentren Handwerk" in html
    assert not re.search(r"\d+ Mitglied", anonymous_html)
    assert "Sie sind Mitglied" in partner_html
    assert re.search(r"\d+ Mitglied", partner_html)


def test_outsider_sees_a_stub_of_the_inner_space_without_its_content(login, partner, inner):
    thread = ThreadFactory(space=inner, title="Vertrauliche Kammerfrage")

    response = login(partner).get(f"/spaces/{inner.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Fachkräftezentren Handwerk" in html
    assert "Zugang anfragen" in html
    assert thread.title not in html
    assert "Mitgliederverzeichnis" not in html
    assert not re.search(r"\d+ Mitglied", html)


def test_hidden_thread_answers_404_like_a_missing_one(login, partner, inner):
    thread = ThreadFactory(space=inner)
    client = login(partner)

    hidden = client.get(f"/spaces/{inner.slug}/threads/{thread.pk}/")
    missing = client.get(f"/spaces/{inner.slug}/threads/{thread.pk + 999}/")

    assert hidden.status_code == missing.status_code == 404
    assert client.get(f"/spaces/{inner.slug}/threads/").status_code == 404
    assert client.get(f"/spaces/{inner.slug}/members/").status_code == 404


def test_anonymous_visitors_are_sent_to_login_for_member_pages(client, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_join_request_flow_through_the_pages(client, login, outsider, coordinator, fachgruppe):
    thread = ThreadFactory(space=fachgruppe, title="Azubi-Gewinnung im Bauhandwerk")
    partner_client = login(outsider)
    response = partner_client.post(f"/spaces/{fachgruppe.slug}/join/", {"message": "Ich berate Dachdecker."})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=outsider)
    assert "Ihre Anfrage vom" in partner_client.get(f"/spaces/{fachgruppe.slug}/").content.decode()

    coordinator_client = login(coordinator)
    listing = coordinator_client.get(f"/spaces/{fachgruppe.slug}/requests/").content.decode()
    assert outsider.name in listing
    assert "Ich berate Dachdecker." in listing
    coordinator_client.post(f"/spaces/{fachgruppe.slug}/requests/{join_request.pk}/", {"decision": "approve"})

    partner_client = login(outsider)
    html = partner_client.get(f"/spaces/{fachgruppe.slug}/").content.decode()
    assert thread.title in html


def test_declining_without_a_reason_keeps_the_form_and_says_why(login, coordinator, requester, fachgruppe):
    join_request = JoinRequest.objects.get(user=requester)

    response = login(coordinator).post(
        f"/spaces/{fachgruppe.slug}/requests/{join_request.pk}/", {"decision": "decline", "reason": ""}
    )

    assert response.status_code == 200
    assert "Bitte begründen Sie die Ablehnung." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_the_requester_reads_the_reason_of_a_decline(login, coordinator, requester, fachgruppe):
    join_request = JoinRequest.objects.get(user=requester)
    login(coordinator).post(
        f"/spaces/{fachgruppe.slug}/requests/{join_request.pk}/",
        {"decision": "decline", "reason": "Bitte zuerst Partner der OM werden."},
    )

    html = login(requester).get(f"/spaces/{fachgruppe.slug}/").content.decode()

    assert "abgelehnt" in html
    assert "Bitte zuerst Partner der OM werden." in html


def test_partner_cannot_reach_the_coordinators_pages(login, partner, fachgruppe):
    client = login(partner)

    assert client.get(f"/spaces/{fachgruppe.slug}/requests/").status_code == 404
    assert client.get(f"/spaces/{fachgruppe.slug}/invite/").status_code == 404


def test_invitation_by_email_and_acceptance(
    login,
    coordinator,
    inner,
    fachgruppe,
    mailoutbox,
    outsider,
    django_capture_on_commit_callbacks,
    outbox_at_once,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            f"/spaces/{inner.slug}/invite/",
            {"email": outsider.email, "role": "member", "message": "Willkommen!"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email=outsider.email)
    assert len(mailoutbox) == 1
    assert invitation.token in mailoutbox[0].body

    accepting = login(outsider)
    accepting.post(f"/invitations/{invitation.token}/")

    assert set(Membership.objects.filter(user=outsider).values_list("space__slug", flat=True)) == {
        inner.slug,
        fachgruppe.slug,
    }
    assert "abgelaufen" in accepting.get(f"/invitations/{invitation.token}/").content.decode()


def test_member_directory_honours_privacy_choices(login, partner, inner_member, fachgruppe):
    Profile.objects.create(
        user=inner_member, show_email=Profile.Visibility.NOBODY, phone="0123 456", show_phone="members"
    )

    html = login(partner).get(f"/spaces/{fachgruppe.slug}/members/").content.decode()

    assert inner_member.name in html
    assert inner_member.email not in html
    assert "0123 456" in html
    assert partner.email in html


def test_reply_with_markdown_is_sanitised(login, partner, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)
    client = login(partner)

    client.post(thread.get_absolute_url(), {"body": "**Wichtig** <script>alert(1)</script>", **token()})

    html = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>Wichtig</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_empty_reply_keeps_the_page_and_shows_an_error(login, partner, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)

    response = login(partner).post(thread.get_absolute_url(), {"body": ""})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert thread.posts.count() == 1


def test_coordinator_shares_an_inner_thread_with_the_fachgruppe(
    login, coordinator, partner, inner, fachgruppe
):
    thread = ThreadFactory(space=inner, title="Ergebnis für alle")

    login(coordinator).post(f"/spaces/{inner.slug}/threads/{thread.pk}/widen/", {"confirm": "widen"})

    client = login(partner)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert "Ergebnis für alle" in client.get(f"/spaces/{fachgruppe.slug}/").content.decode()


def test_document_upload_versions_and_protected_download(login, partner, inner_member, fachgruppe, inner):
    client = login(inner_member)
    response = client.post(
        f"/spaces/{inner.slug}/documents/new/",
        {"title": "Konzeptentwurf", "file": SimpleUploadedFile("konzept.pdf", PDF_BYTES), **token()},
    )
    document = Document.objects.get()
    assert response.status_code == 302
    client.post(
        document.get_absolute_url(),
        {
            "form": "version",
            "note": "Kapitel 2 ergänzt",
            "file": SimpleUploadedFile("konzept.docx", docx_bytes()),
        },
    )
    assert list(document.versions.values_list("number", "content_type")) == [
        (2, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (1, "application/pdf"),
    ]

    download = client.get(f"/spaces/{inner.slug}/documents/{document.pk}/versions/1/download/")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    assert (
        login(partner).get(f"/spaces/{inner.slug}/documents/{document.pk}/versions/1/download/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Dateityp wird nicht angenommen"),
        ("konzept.pdf", None, "Name endet aber nicht auf .docx"),
        ("makro.exe", b"MZ" + b"0" * 100, "Dateityp wird nicht angenommen"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_the_title_kept(
    login, partner, fachgruppe, name, content, message
):
    upload = SimpleUploadedFile(name, content if content is not None else docx_bytes())

    response = login(partner).post(
        f"/spaces/{fachgruppe.slug}/documents/new/", {"title": "Mein Titel", "file": upload}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Mein Titel"' in html
    assert not Document.objects.exists()


def test_too_large_upload_is_refused(login, partner, fachgruppe, settings, monkeypatch):
    from groups import services

    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", 10)
    monkeypatch.setattr("groups.forms.DOCUMENT_MAX_BYTES", 10)

    response = login(partner).post(
        f"/spaces/{fachgruppe.slug}/documents/new/",
        {"title": "Groß", "file": SimpleUploadedFile("gross.pdf", PDF_BYTES)},
    )

    assert "höchstens" in response.content.decode()
    assert not Document.objects.exists()


def test_editing_own_post_keeps_history_and_others_cannot(login, partner, inner_member, fachgruppe):
    thread = ThreadFactory(space=fachgruppe, author=partner)
    post = thread.posts.get()

    login(partner).post(f"{thread.get_absolute_url()}posts/{post.pk}/edit/", {"body": "Neu"})
    forbidden = login(inner_member).get(f"{thread.get_absolute_url()}posts/{post.pk}/edit/")

    post.refresh_from_db()
    assert post.body == "Neu"
    assert post.revisions.count() == 1
    assert forbidden.status_code == 404


def test_readers_see_the_earlier_wordings_of_an_edited_post(login, partner, inner_member, fachgruppe):
    thread = ThreadFactory(space=fachgruppe, author=partner, opening_post="Erste Fassung")
    post = thread.posts.get()
    login(partner).post(f"{thread.get_absolute_url()}posts/{post.pk}/edit/", {"body": "Zweite Fassung"})

    html = login(inner_member).get(f"{thread.get_absolute_url()}posts/{post.pk}/history/").content.decode()

    assert "Erste Fassung" in html
    assert "Zweite Fassung" in html
    assert html.index("Zweite Fassung") < html.index("Erste Fassung")
    assert f"Beitrag von {partner.name} in „{thread.title}“." in html


def test_leaving_a_space(login, partner, fachgruppe):
    client = login(partner)

    client.post(f"/spaces/{fachgruppe.slug}/leave/")

    assert not Membership.objects.filter(user=partner).exists()
    assert client.get(f"/spaces/{fachgruppe.slug}/threads/").status_code == 404


def test_new_thread_starts_in_the_space(login, partner, fachgruppe):
    login(partner).post(
        f"/spaces/{fachgruppe.slug}/threads/new/", {"title": "Neue Frage", "body": "Text", **token()}
    )

    thread = Thread.objects.get()
    assert (thread.space, thread.audience, thread.title) == (fachgruppe, fachgruppe, "Neue Frage")


def test_an_invited_newcomer_signs_up_and_comes_back_to_the_invitation(
    client, coordinator, inner, fachgruppe, account_mails
):
    invitation = services.invitation_create(space=inner, email="neu@example.org", by=coordinator)
    invitation_url = f"/invitations/{invitation.token}/"
    client.post(
        f"/accounts/signup/?next={invitation_url}",
        {
            "name": "Nora Neu",
            "organisation_name": "Handwerkskammer Beispielstadt",
            "email": "neu@example.org",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", account_mails()[-1].body, re.MULTILINE).group(1)

    landed = client.post("/accounts/confirm-email/", {"code": code})
    client.post(invitation_url)

    assert landed["Location"] == invitation_url
    assert set(Membership.objects.filter(user__email="neu@example.org").values_list("space", flat=True)) == {
        inner.pk,
        fachgruppe.pk,
    }


def test_the_space_home_lists_its_next_meetings_for_members_only(client, login, partner, fachgruppe):
    from tests.factories.meetings import MeetingFactory

    MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Dezember")

    member_html = login(partner).get(f"/spaces/{fachgruppe.slug}/").content.decode()
    client.logout()
    anonymous_html = client.get(f"/spaces/{fachgruppe.slug}/").content.decode()

    assert "Fachgruppentreffen im Dezember" in member_html
    assert "Fachgruppentreffen im Dezember" not in anonymous_html


def test_the_space_page_names_its_coordinators_separated_by_commas(login, partner, fachgruppe):
    for name in ("Anna Amsel", "Bernd Buche"):
        Membership.objects.create(
            space=fachgruppe, user=UserFactory(name=name), role=Membership.Role.COORDINATOR
        )

    content = login(partner).get(f"/spaces/{fachgruppe.slug}/").content.decode()

    section = content[content.index('id="coordination-title"') :]
    section = section[: section.index("</section>")]
    names = re.sub(r"<[^>]+>", "", section.split("</h2>", 1)[1]).strip()
    assert names == "Anna Amsel, Bernd Buche"
