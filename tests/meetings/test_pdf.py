"""The minutes as a PDF that reads like the Fachgruppe's Protokoll, stored once per version."""

import datetime
import io
import re
import shutil
import subprocess
import time

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from meetings import minutes as service
from meetings import pdf
from meetings.models import Decision, Minutes, MinutesPdf, Participant
from meetings.tasks import render_minutes_pdf
from tests.factories.meetings import (
    AgendaItemFactory,
    HeldMeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)


@pytest.fixture
def meeting(fachgruppe, coordinator, partner, inner_member):
    meeting = HeldMeetingFactory(space=fachgruppe, title="Gründungssitzung", place="Videokonferenz")
    ParticipantFactory(
        meeting=meeting, user=partner, organisation="Handwerkskammer Musterstadt", attended=True
    )
    ParticipantFactory(
        meeting=meeting, user=inner_member, organisation="ZDH", response=Participant.Response.EXCUSED
    )
    first = AgendaItemFactory(meeting=meeting, title="Vorstellungsrunde")
    second = AgendaItemFactory(meeting=meeting, title="Ziele der Fachgruppe")
    service.agenda_item_discussion_edit(
        agenda_item=first, by=coordinator, discussion="Alle stellen sich vor."
    )
    service.decision_add(
        agenda_item=second, by=coordinator, text="Ein Konzept zur Zusammenarbeit wird erarbeitet."
    )
    service.action_item_add(
        meeting=meeting,
        by=coordinator,
        title="Datenbank des ZDH sichten",
        assignees=[partner],
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    return meeting


def _content(response) -> bytes:
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(_content(response)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def renders(monkeypatch):
    """Counts the renderings (weasyprint runs), and still renders."""
    calls = []
    original = pdf.minutes_pdf

    def counting(record):
        calls.append(record.minutes.pk)
        return original(record)

    monkeypatch.setattr(pdf, "minutes_pdf", counting)
    return calls


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_published_pdf_reads_like_a_protokoll(
    client, fachgruppe, meeting, coordinator, partner, inner_member
):
    TentativeMeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Herbst")
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    text = _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    assert "Protokoll" in text
    assert "Entwurf" not in text
    for expected in (
        "Datum",
        "Uhrzeit",
        "Teilnehmende",
        f"{partner.name} (Handwerkskammer Musterstadt)",
        f"{inner_member.name} (ZDH) (entschuldigt)",
        "Vorstellungsrunde",
        "Ziele der Fachgruppe",
        "Alle stellen sich vor.",
        "Beschluss: Ein Konzept zur Zusammenarbeit wird erarbeitet.",
        "Weiteres Vorgehen",
        "Datenbank des ZDH sichten",
        "Nächster Termin",
        "Fachgruppentreffen im Herbst: Oktober/November 2026",
        "Seite 1 / ",
    ):
        assert expected in text, expected


def test_coordinators_get_the_draft_marked_as_such(client, meeting, coordinator):
    client.force_login(coordinator)

    text = _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    assert "Entwurf: Protokoll" in text


def test_there_is_no_pdf_for_people_outside_the_meeting_ring(client, inner, coordinator, partner):
    inner_meeting = HeldMeetingFactory(space=inner)
    service.minutes_edit(meeting=inner_meeting, by=coordinator, introduction="Vertraulich")
    service.minutes_publish(meeting=inner_meeting, by=coordinator)
    client.force_login(partner)

    assert client.get(f"/meetings/{inner_meeting.pk}/minutes.pdf").status_code == 404


def test_the_task_renders_and_stores_every_language_once(meeting, coordinator, renders):
    minutes = service.minutes_publish(meeting=meeting, by=coordinator)

    assert render_minutes_pdf(minutes_id=minutes.pk, version=minutes.version) == 2
    assert render_minutes_pdf(minutes_id=minutes.pk, version=minutes.version) == 0

    stored = {row.language: row for row in MinutesPdf.objects.filter(minutes=minutes)}
    assert set(stored) == {"de", "en"}
    assert {row.version for row in stored.values()} == {minutes.version}
    german = PdfReader(stored["de"].file.open("rb")).pages[0].extract_text()
    assert "Tagesordnung" in german
    assert len(renders) == 2


def test_a_task_for_an_outdated_version_renders_nothing(meeting, coordinator, renders):
    minutes = service.minutes_publish(meeting=meeting, by=coordinator)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Korrigiert", reason="Tippfehler")

    assert render_minutes_pdf(minutes_id=minutes.pk, version=minutes.version) == 0
    assert renders == []


def test_the_first_request_renders_once_and_later_ones_serve_the_stored_file(
    client, meeting, coordinator, partner, renders
):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)
    url = f"/meetings/{meeting.pk}/minutes.pdf"

    first = _content(client.get(url))
    second = client.get(url)

    assert second.streaming, "the stored file is served as a file"
    assert _content(second) == first
    assert len(renders) == 1
    assert MinutesPdf.objects.filter(minutes__meeting=meeting).count() == 1


def test_a_correction_makes_a_new_pdf_and_the_old_one_is_never_served(
    client, meeting, coordinator, partner, renders
):
    minutes = service.minutes_publish(meeting=meeting, by=coordinator)
    render_minutes_pdf(minutes_id=minutes.pk, version=minutes.version)
    old = MinutesPdf.objects.get(minutes=minutes, language="de")
    client.force_login(partner)
    assert "Ein Konzept zur Zusammenarbeit" in _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    decision = Decision.objects.get(agenda_item__meeting=meeting)
    service.decision_edit(
        decision=decision,
        by=coordinator,
        text="Ein Konzept wird bis Juni erarbeitet.",
        reason="Frist ergänzt",
    )
    text = _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    assert "Beschluss: Ein Konzept wird bis Juni erarbeitet." in text
    assert "Ein Konzept zur Zusammenarbeit" not in text
    assert Minutes.objects.get(pk=minutes.pk).version == minutes.version + 1
    assert not MinutesPdf.objects.filter(pk=old.pk).exists()
    assert len(renders) == 3  # two languages by the task, then the corrected version on request


def test_an_action_item_done_shows_in_the_next_pdf(client, meeting, coordinator, partner):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)
    assert "Offen" in _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    service.action_item_finish(action_item=meeting.action_items.get(), by=partner)

    assert "Erledigt" in _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))


def test_while_another_process_renders_the_request_says_it_is_being_made(
    client, meeting, coordinator, partner, renders
):
    minutes = service.minutes_publish(meeting=meeting, by=coordinator)
    lock = f"minutes-pdf:{minutes.pk}:{minutes.version}:de"
    cache.add(lock, "rendering", 60)
    client.force_login(partner)
    try:
        response = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    finally:
        cache.delete(lock)

    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert "Das PDF wird erstellt" in response.content.decode()
    assert renders == []


def test_inner_minutes_pdf_is_404_outside_and_never_stored_by_browsers(
    client, inner, coordinator, partner, inner_member
):
    inner_meeting = HeldMeetingFactory(space=inner)
    service.minutes_edit(meeting=inner_meeting, by=coordinator, introduction="Vertraulich")
    service.minutes_publish(meeting=inner_meeting, by=coordinator)
    url = f"/meetings/{inner_meeting.pk}/minutes.pdf"
    client.force_login(inner_member)
    response = client.get(url)
    # The second time from the stored file, found through the shared read of the reader's standing.
    again = client.get(url)
    client.force_login(partner)

    assert response["Cache-Control"] == "no-store, private, max-age=0"
    assert again["Cache-Control"] == "no-store, private, max-age=0"
    assert "Vertraulich" in _text(again)
    assert client.get(url).status_code == 404


def test_the_shared_pdf_shows_only_what_every_reader_may_see(client, inner, fachgruppe, coordinator, partner):
    """A coordinator's rendering must not carry a question of the inner circle to the Fachgruppe."""
    from tests.factories.groups import QuestionFactory

    meeting = HeldMeetingFactory(space=inner, audience=fachgruppe)
    question = QuestionFactory(space=inner, title="Vertrauliche Frage der Kammern")
    AgendaItemFactory(meeting=meeting, title="Austausch", question=question)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="")
    minutes = service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(coordinator)
    text = _text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))

    assert "Austausch" in text
    assert "Vertrauliche Frage" not in text
    assert MinutesPdf.objects.filter(minutes=minutes).count() == 1


def test_the_pdf_is_tagged_for_screen_readers(client, meeting, coordinator, partner, tmp_path):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)
    content = _content(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]

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
    if pdfinfo := shutil.which("pdfinfo"):  # poppler-utils, installed by `make browser-deps`
        path = tmp_path / "protokoll.pdf"
        path.write_bytes(content)
        info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_the_page_number_stays_on_one_line_beside_a_long_title(client, fachgruppe, coordinator, partner):
    meeting = HeldMeetingFactory(
        space=fachgruppe, title="Gemeinsame Sitzung der Fachgruppe Handwerk mit den Fachkräftezentren " * 2
    )
    for number in range(12):
        AgendaItemFactory(meeting=meeting, title=f"Punkt {number}", details="- eine Frage\n" * 8)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="")
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)
    reader = PdfReader(io.BytesIO(_content(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))))
    assert len(reader.pages) >= 2
    foot = []

    def at_the_foot(text, cm, tm, _font, _size):
        height = cm[3] * tm[5] + cm[5]  # points above the page's lower edge
        if text.strip() and height < 25 * 72 / 25.4:
            foot.append((round(height), text.strip()))

    reader.pages[0].extract_text(visitor_text=at_the_foot)
    numbering = [
        (height, text) for height, text in foot if "Seite" in text or text.endswith(f"/ {len(reader.pages)}")
    ]

    assert [text for _height, text in numbering] == [f"Seite 1 / {len(reader.pages)}"], foot
    assert len({height for height, _text in foot}) == 1, foot


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_publishing_hands_the_rendering_to_the_worker(celery_worker, settings, tmp_path):
    from groups.models import Membership
    from tests.factories import UserFactory
    from tests.roles import well_known_spaces

    fachgruppe = well_known_spaces()[0]
    coordinator = UserFactory()
    Membership.objects.create(space=fachgruppe, user=coordinator, role=Membership.Role.COORDINATOR)
    meeting = HeldMeetingFactory(space=fachgruppe)
    AgendaItemFactory(meeting=meeting, title="Bericht")
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="")

    minutes = service.minutes_publish(meeting=meeting, by=coordinator)

    deadline = time.monotonic() + 60
    while MinutesPdf.objects.filter(minutes=minutes).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(MinutesPdf.objects.filter(minutes=minutes).values_list("language", flat=True)) == {"de", "en"}
