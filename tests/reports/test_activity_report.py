"""The activity report (Tätigkeitsbericht): a space's year as a page and a tagged PDF, stored and renewed."""

import datetime
import io
import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from groups.models import InformationPage, Membership
from meetings import minutes as minutes_service
from meetings.models import ActionItem, Decision, Minutes, Participant
from reports import pdf
from reports.models import ActivityReport
from reports.tasks import render_activity_report
from tests.factories.groups import QuestionFactory
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, ParticipantFactory
from tests.factories.projects import ProjectFactory, accepted, reviewed

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def _at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 15))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year_of_work(fachgruppe, coordinator, fachgruppe_coordinator, inner_member, partner):
    meeting = HeldMeetingFactory(space=fachgruppe, title="Frühjahrssitzung der Fachgruppe", starts_at=_at(3))
    ParticipantFactory(meeting=meeting, user=partner, response=Participant.Response.ACCEPTED, attended=True)
    ParticipantFactory(meeting=meeting, user=inner_member, response=Participant.Response.EXCUSED)
    project = accepted(
        ProjectFactory(submitted_by=inner_member, title="Praxistage im Tischlerhandwerk"), by=coordinator
    )
    reviewed(project, by=fachgruppe_coordinator, transferability=2, added_value=4)
    type(project).objects.filter(pk=project.pk).update(accepted_at=_at(4))
    item = AgendaItemFactory(meeting=meeting, title="Vorstellung", project=project)
    Decision.objects.create(agenda_item=item, text="Die Praxistage werden in die Datenbank aufgenommen.")
    ActionItem.objects.create(meeting=meeting, title="Kammern anschreiben", status=ActionItem.Status.DONE)
    ActionItem.objects.create(meeting=meeting, title="Flyer entwerfen")
    minutes_service.minutes_edit(meeting=meeting, by=coordinator, introduction="")
    minutes_service.minutes_publish(meeting=meeting, by=coordinator)
    draft = HeldMeetingFactory(space=fachgruppe, title="Herbstsitzung", starts_at=_at(10))
    Decision.objects.create(agenda_item=AgendaItemFactory(meeting=draft), text="Noch nicht genehmigt.")
    Minutes.objects.create(meeting=draft)
    question = QuestionFactory(space=fachgruppe, title="Wie finden Bäckereien Nachwuchs?", status="answered")
    type(question).objects.filter(pk=question.pk).update(created_at=_at(5), answered_at=_at(6))
    InformationPage.objects.create(
        space=fachgruppe,
        title="Quereinstieg in die Backstube",
        slug="quereinstieg",
        summary="Kurz.",
        body="Text.",
        published_at=_at(7),
    )
    joined = Membership.objects.create(
        space=fachgruppe,
        user=partner.__class__.objects.create_user(
            email="neu@example.org", password="x", name="Neu Mitglied"
        ),
    )
    Membership.objects.filter(pk=joined.pk).update(joined_at=_at(8))
    return meeting


def test_the_page_lists_the_year_of_the_space(client, fachgruppe, fachgruppe_coordinator, year_of_work):
    client.force_login(fachgruppe_coordinator)

    response = client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}/")
    report = response.context["report"]
    page = response.content.decode()

    assert response.status_code == 200
    assert report.meetings.table.rows[0][1:] == ["Herbstsitzung", "Sitzung", 0, 0, 0, 0, 0, None]
    assert report.meetings.table.rows[1][1:] == [
        "Frühjahrssitzung der Fachgruppe",
        "Sitzung",
        2,
        1,
        1,
        0,
        1,
        50.0,
    ]
    # Only the published minutes' decisions: a draft is not final.
    assert [decision.text for decision in report.decisions.rows] == [
        "Die Praxistage werden in die Datenbank aufgenommen."
    ]
    assert report.counts == {"action_items_done": 1, "action_items_open": 1}
    assert [item.project.title for item in report.presented.rows] == ["Praxistage im Tischlerhandwerk"]
    project = report.accepted.rows[0]
    assert (project.transferability, project.added_value, project.review_count) == (3.0, 4.5, 2)
    assert [question.title for question in report.questions.rows] == ["Wie finden Bäckereien Nachwuchs?"]
    assert [page.title for page in report.information.rows] == ["Quereinstieg in die Backstube"]
    assert {row[0].month: row[1] for row in report.members.table.rows}[8] == 1
    assert "Noch nicht genehmigt." not in page
    assert "Praxistage im Tischlerhandwerk" in page


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _content(response) -> bytes:
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_pdf_is_rendered_once_stored_and_tagged_for_screen_readers(
    client, fachgruppe, fachgruppe_coordinator, coordinator, year_of_work
):
    client.force_login(fachgruppe_coordinator)
    url = f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}.pdf"

    content = _content(client.get(url))
    stored = ActivityReport.objects.get(space=fachgruppe, year=YEAR, language="de")
    client.force_login(coordinator)
    again = _content(client.get(url))

    assert again == content
    assert ActivityReport.objects.count() == 1
    assert stored.rendered_at is not None
    text = _text(content)
    assert f"Tätigkeitsbericht {YEAR}" in text or f"Activity report {YEAR}" in text
    assert "Frühjahrssitzung der Fachgruppe" in text
    assert "Praxistage im Tischlerhandwerk" in text
    catalog = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "de"
    roles = set()

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            roles.add(node["/S"])
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD"} <= roles


def test_asking_again_renders_a_new_pdf_with_what_changed(
    client, fachgruppe, fachgruppe_coordinator, year_of_work
):
    client.force_login(fachgruppe_coordinator)
    base = f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}"
    first = _content(client.get(f"{base}.pdf"))
    HeldMeetingFactory(space=fachgruppe, title="Nachgetragene Sondersitzung", starts_at=_at(11))

    response = client.post(f"{base}/neu/")
    report = ActivityReport.objects.get(space=fachgruppe, year=YEAR, language="de")
    assert response.status_code == 302
    assert report.is_pending
    assert render_activity_report(space_id=fachgruppe.pk, year=YEAR) == 2  # what the worker runs

    renewed = _content(client.get(f"{base}.pdf"))
    assert "Nachgetragene Sondersitzung" not in _text(first)
    assert "Nachgetragene Sondersitzung" in _text(renewed)
    assert not ActivityReport.objects.get(pk=report.pk).is_pending
    assert set(ActivityReport.objects.values_list("language", flat=True)) == {"de", "en"}


def test_without_a_worker_the_next_request_renders_what_was_asked_for(
    client, fachgruppe, fachgruppe_coordinator, year_of_work
):
    client.force_login(fachgruppe_coordinator)
    base = f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}"
    client.get(f"{base}.pdf")
    HeldMeetingFactory(space=fachgruppe, title="Nachgetragene Sondersitzung", starts_at=_at(11))
    client.post(f"{base}/neu/")

    assert "Nachgetragene Sondersitzung" in _text(_content(client.get(f"{base}.pdf")))


def test_while_another_process_renders_the_request_says_it_is_being_made(
    client, fachgruppe, fachgruppe_coordinator, monkeypatch
):
    monkeypatch.setattr(pdf.cache, "add", lambda *args, **kwargs: False)
    client.force_login(fachgruppe_coordinator)

    response = client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}.pdf")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize("year", [1999, timezone.localdate().year + 1])
def test_a_year_outside_the_portal_s_life_is_not_found(client, fachgruppe, fachgruppe_coordinator, year):
    client.force_login(fachgruppe_coordinator)

    assert client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{year}/").status_code == 404


def test_the_report_asks_a_constant_number_of_queries(
    client, fachgruppe, fachgruppe_coordinator, coordinator
):
    from tests.querycount import assert_constant_queries

    client.force_login(fachgruppe_coordinator)
    month = iter(range(1, 13))

    def grow():
        meeting = HeldMeetingFactory(space=fachgruppe, starts_at=_at(next(month)))
        ParticipantFactory(meeting=meeting, attended=True)
        Decision.objects.create(agenda_item=AgendaItemFactory(meeting=meeting), text="Beschluss.")
        ActionItem.objects.create(meeting=meeting, title="Aufgabe").assignees.set([coordinator])
        Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED)

    assert_constant_queries(client, f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}/", grow=grow)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_asking_hands_the_rendering_to_the_worker(celery_worker, client):
    from tests.factories import UserFactory, with_totp
    from tests.roles import well_known_spaces

    fachgruppe = well_known_spaces()[0]
    coordinator = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=coordinator, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)

    client.post(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}/neu/")

    deadline = time.monotonic() + 60
    while ActivityReport.objects.exclude(file="").count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(ActivityReport.objects.exclude(file="").values_list("language", flat=True)) == {"de", "en"}
