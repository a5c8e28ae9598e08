"""Meine Daten herunterladen: fresh sign-in, a rate limit, a ZIP of everything, a mailed one-person link."""

import io
import json
import re
import time
import zipfile
from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from groups import services as groups_services
from groups.models import JoinRequest, Membership, Profile, Subscriber
from meetings.models import Participant
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Event, Notification, Preference
from privacy import builds, services, signals
from privacy.models import DataExport
from projects.models import ProjectAttachment
from tests.factories import TEST_PASSWORD, UserFactory
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import ActionItemFactory, HeldMeetingFactory, ParticipantFactory
from tests.factories.projects import ProjectFactory, reviewed, submitted


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _reauthenticated(user) -> Client:
    client = Client()
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    return client


def _built(person) -> DataExport:
    data_export = services.export_request(person=person)
    assert builds.export_build(data_export.pk)
    data_export.refresh_from_db()
    return data_export


def _zip(data_export: DataExport) -> zipfile.ZipFile:
    with data_export.file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def _link(mail_body: str) -> str:
    return re.search(r"https?://\S+/konto/daten/herunterladen/\S+/", mail_body).group(0)


@pytest.mark.django_db
def test_requesting_the_data_needs_a_fresh_sign_in(partner, client):
    client.force_login(partner)

    response = client.post("/konto/daten/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not DataExport.objects.filter(user=partner).exists()


@pytest.mark.django_db
def test_after_the_password_the_suspended_request_starts_the_export(partner, client, clear_cache):
    client.force_login(partner)
    client.post("/konto/daten/")

    response = client.post("/accounts/reauthenticate/?next=/konto/daten/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert DataExport.objects.filter(user=partner, status=DataExport.Status.PENDING).count() == 1


@pytest.mark.django_db
def test_the_request_is_rate_limited_per_account(partner, clear_cache):
    client = _reauthenticated(partner)
    answers = []
    for _ in range(4):
        answers.append(client.post("/konto/daten/").status_code)
        DataExport.objects.filter(user=partner).update(status=DataExport.Status.FAILED)

    assert answers == [302, 302, 302, 429]
    assert DataExport.objects.filter(user=partner).count() == 3


@pytest.mark.django_db
def test_a_second_request_waits_for_the_first(partner, clear_cache):
    client = _reauthenticated(partner)
    client.post("/konto/daten/")

    response = client.post("/konto/daten/", follow=True)

    assert DataExport.objects.filter(user=partner).count() == 1
    assert "bereits zusammengestellt" in response.content.decode()


@pytest.mark.django_db
def test_the_state_page_shows_the_progress_and_polls_while_working(partner, clear_cache):
    client = _reauthenticated(partner)
    data_export = services.export_request(person=partner)
    DataExport.objects.filter(pk=data_export.pk).update(status=DataExport.Status.RUNNING, progress=5)

    page = client.get("/konto/daten/").content.decode()
    fragment = client.get("/konto/daten/", headers={"HX-Request": "true"}).content.decode()

    assert "Wird erstellt" in page
    assert "(5 von 14 Teilen)" in page
    assert 'data-hx-trigger="every 3s"' in page
    assert fragment.lstrip().startswith('<section id="data-exports"')


@pytest.mark.django_db
def test_the_zip_holds_everything_about_the_person(partner, fachgruppe, coordinator):
    Profile.objects.create(user=partner, function="Beraterin Ausbildung", phone="0221 12345")
    JoinRequest.objects.create(space=fachgruppe, user=partner, message="Bitte um Aufnahme, Grüße")
    thread = ThreadFactory(space=fachgruppe, author=partner, opening_post="Erste Fassung")
    post = thread.posts.get()
    groups_services.post_edit(post=post, user=partner, body="Zweite Fassung")
    document = groups_services.document_create(
        space=fachgruppe,
        by=partner,
        title="Konzept Praxistage",
        upload=SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\nmein Konzept\n%%EOF\n"),
    )
    groups_services.document_comment(document=document, author=partner, body="Mein Kommentar")
    meeting = HeldMeetingFactory(space=fachgruppe, title="Fachgruppentreffen Mai")
    ParticipantFactory(meeting=meeting, user=partner, response=Participant.Response.ACCEPTED, attended=True)
    ActionItemFactory(meeting=meeting, title="Leitfaden entwerfen").assignees.add(partner)
    project = submitted(ProjectFactory(submitted_by=partner, title="Praxistage Köln"))
    ProjectAttachment.objects.create(
        project=project,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\nplan\n%%EOF\n"),
        title="Projektplan",
        original_name="plan.pdf",
        content_type="application/pdf",
        size=20,
    )
    reviewed(submitted(ProjectFactory(submitted_by=coordinator, title="Fremdes Projekt")), by=partner)
    event = Event.objects.create(
        kind=Kind.THREAD_CREATED, audience=Event.Audience.RING, ring=fachgruppe, data={"title": "Hallo"}
    )
    Notification.objects.create(user=partner, event=event)
    Preference.objects.create(user=partner, kind=Kind.THREAD_CREATED, channel=Channel.DAILY)
    Subscriber.objects.create(email=partner.email, confirmed_at=timezone.now())
    UserSession.objects.create(user=partner, session_key="s" * 32, ip="192.0.2.7", user_agent="Firefox")

    archive = _zip(_built(partner))
    data = json.loads(archive.read("daten.json"))
    readme = archive.read("LIESMICH.txt").decode()

    assert data["account"]["email"] == partner.email
    assert data["account"]["name"] == partner.name
    assert "password" not in data["account"]
    assert TEST_PASSWORD not in json.dumps(data)
    assert data["profile"]["phone"] == "0221 12345"
    assert [m["space"] for m in data["memberships"]["memberships"]] == ["Fachgruppe Handwerk"]
    assert data["join_requests"][0]["message"] == "Bitte um Aufnahme, Grüße"
    [exported_post] = data["discussions"]["posts"]
    assert exported_post["body"] == "Zweite Fassung"
    assert [v["body"] for v in exported_post["earlier_versions"]] == ["Erste Fassung"]
    assert data["documents"]["comments"][0]["body"] == "Mein Kommentar"
    [version] = data["documents"]["versions_uploaded"]
    assert archive.read(version["file_in_zip"]) == b"%PDF-1.4\nmein Konzept\n%%EOF\n"
    [attendance] = data["meetings"]["invitations_and_attendance"]
    assert (attendance["response"], attendance["attended"]) == ("accepted", True)
    assert data["meetings"]["action_items"][0]["title"] == "Leitfaden entwerfen"
    [exported_project] = data["projects"]["projects_submitted"]
    assert exported_project["title"] == "Praxistage Köln"
    assert archive.read(exported_project["attachments"][0]["file_in_zip"]) == b"%PDF-1.4\nplan\n%%EOF\n"
    assert data["reviews_written"][0]["transferability_reason"].startswith("Lässt sich")
    assert data["notifications"]["notifications"][0]["data"] == {"title": "Hallo"}
    assert data["notifications"]["preferences"] == [
        {"kind": "thread_created", "space": None, "channel": "daily"}
    ]
    assert data["subscriptions"]["information_by_mail"]["email"] == partner.email
    assert data["sessions"][0]["ip"] == "192.0.2.7"
    assert "security" in data
    assert "daten.json" in readme
    assert version["file_in_zip"] in readme


@pytest.mark.django_db
def test_the_zip_names_no_item_the_person_may_no_longer_see(inner_member, inner):
    thread = ThreadFactory(space=inner, author=inner_member, title="Vertrauliche Runde")
    event = Event.objects.create(
        kind=Kind.THREAD_CREATED,
        audience=Event.Audience.RING,
        ring=inner,
        subject=thread,
        data={"title": "Vertrauliche Runde"},
    )
    Notification.objects.create(user=inner_member, event=event)
    Membership.objects.filter(user=inner_member, space=inner).delete()

    data = json.loads(_zip(_built(inner_member)).read("daten.json"))

    [post] = data["discussions"]["posts"]
    assert post["thread_title"] is None
    assert post["thread_id"] == thread.pk
    assert data["notifications"]["notifications"][0]["data"] is None
    assert "Vertrauliche Runde" not in json.dumps(data)


@pytest.mark.django_db
def test_the_mailed_link_opens_the_zip_for_its_owner_only(partner, account_mails, clear_cache):
    data_export = _built(partner)
    [mail] = [m for m in account_mails() if m.to == [partner.email]]
    link = _link(mail.body)
    path = link.split("://", 1)[1].split("/", 1)[1]

    owner = Client()
    owner.force_login(partner)
    response = owner.get(f"/{path}")
    someone_else = Client()
    someone_else.force_login(UserFactory())

    assert "Ihre Daten stehen zum Herunterladen bereit" in mail.subject
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"].startswith("no-store")
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("daten.json")
    assert someone_else.get(f"/{path}").status_code == 404
    assert Client().get(f"/{path}")["Location"].startswith("/accounts/login/")
    # A forged or altered signature is no link at all.
    assert owner.get(f"/konto/daten/herunterladen/{data_export.key}:1:x/").status_code == 404


@pytest.mark.django_db
def test_the_link_expires_after_seven_days(partner):
    data_export = _built(partner)
    owner = Client()
    owner.force_login(partner)
    path = f"/konto/daten/herunterladen/{builds.download_token(data_export)}/"

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert owner.get(path).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert owner.get(path).status_code == 404


@pytest.mark.django_db
def test_the_signal_names_the_person_who_asked_and_their_spaces(partner, fachgruppe, rf):
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    signals.data_export_requested.connect(receiver)
    try:
        request = rf.post("/konto/daten/")
        services.export_request(person=partner, request=request)
    finally:
        signals.data_export_requested.disconnect(receiver)

    assert heard == [
        {
            "signal": signals.data_export_requested,
            "person": partner,
            "actor": partner,
            "spaces": [fachgruppe],
            "request": request,
        }
    ]


def _wait_until(condition, *, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export_and_mails_the_link(celery_worker, settings, tmp_path):
    from portal.notifications.models import Mail

    person = UserFactory()

    data_export = services.export_request(person=person)

    assert _wait_until(lambda: DataExport.objects.get(pk=data_export.pk).status == DataExport.Status.READY), (
        DataExport.objects.get(pk=data_export.pk).error
    )
    assert _wait_until(
        lambda: Mail.objects.filter(
            recipient=person.email, template=builds.MAIL_TEMPLATE, status=Mail.Status.SENT
        ).exists()
    )
    data_export.refresh_from_db()
    assert data_export.progress == 14
    assert data_export.size > 0
    assert json.loads(_zip(data_export).read("daten.json"))["account"]["email"] == person.email
