"""The minutes as a PDF that reads like the Fachgruppe's Protokoll."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings import minutes as service
from meetings.models import Participant
from tests.factories.meetings import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)


@pytest.fixture
def meeting(fachgruppe, coordinator, partner, inner_member):
    meeting = MeetingFactory(space=fachgruppe, title="Gründungssitzung", place="Videokonferenz")
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


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


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
    inner_meeting = MeetingFactory(space=inner)
    service.minutes_edit(meeting=inner_meeting, by=coordinator, introduction="Vertraulich")
    service.minutes_publish(meeting=inner_meeting, by=coordinator)
    client.force_login(partner)

    assert client.get(f"/meetings/{inner_meeting.pk}/minutes.pdf").status_code == 404
