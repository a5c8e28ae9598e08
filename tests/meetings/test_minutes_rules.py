"""The life cycle of minutes the software enforces: publish after the meeting, a frozen agenda, approval."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from meetings import minutes as service
from meetings import pdf, selectors_minutes, services
from meetings.models import AgendaItem, Minutes
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, MeetingFactory, PastMeetingFactory


def _running(space):
    now = timezone.now()
    return MeetingFactory(
        space=space, starts_at=now - datetime.timedelta(minutes=30), ends_at=now + datetime.timedelta(hours=1)
    )


def test_minutes_of_a_running_meeting_cannot_be_published_until_it_is_marked_held(
    client, fachgruppe, coordinator
):
    meeting = _running(fachgruppe)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Mitschrift")
    client.force_login(coordinator)

    response = client.post(f"/meetings/{meeting.pk}/minutes/publish/", follow=True)

    assert "erst veröffentlichen, wenn die Sitzung stattgefunden hat" in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.DRAFT

    services.meeting_mark_held(meeting=meeting, by=coordinator)
    service.minutes_publish(meeting=meeting, by=coordinator)

    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED


def test_minutes_can_be_published_once_the_end_has_passed(fachgruppe, coordinator):
    meeting = PastMeetingFactory(space=fachgruppe)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Nachträglich")

    service.minutes_publish(meeting=meeting, by=coordinator)

    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED


def test_the_editor_offers_publishing_only_when_the_meeting_is_over(client, fachgruppe, coordinator):
    running = _running(fachgruppe)
    client.force_login(coordinator)

    assert (
        "Speichern und veröffentlichen" not in client.get(f"/meetings/{running.pk}/minutes/").content.decode()
    )
    held = HeldMeetingFactory(space=fachgruppe)
    assert "Speichern und veröffentlichen" in client.get(f"/meetings/{held.pk}/minutes/").content.decode()


@pytest.fixture
def published(fachgruppe, coordinator):
    meeting = HeldMeetingFactory(
        space=fachgruppe, title="Gehaltene Sitzung", agenda_published_at=timezone.now()
    )
    for title in ("Begrüßung", "Ziele"):
        AgendaItemFactory(meeting=meeting, title=title)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Alle begrüßt.")
    service.minutes_publish(meeting=meeting, by=coordinator)
    return meeting


@pytest.mark.parametrize(
    "change",
    [
        lambda meeting, by: services.agenda_item_add(meeting=meeting, by=by, fields={"title": "Nachtrag"}),
        lambda meeting, by: services.agenda_item_update(
            item=meeting.agenda_items.first(), by=by, fields={"title": "Anders"}
        ),
        lambda meeting, by: services.agenda_item_delete(item=meeting.agenda_items.first(), by=by),
        lambda meeting, by: services.agenda_item_move(item=meeting.agenda_items.last(), by=by, up=True),
        lambda meeting, by: services.agenda_publish(meeting=meeting, by=by),
    ],
    ids=["add", "edit", "remove", "reorder", "send-again"],
)
def test_published_minutes_freeze_the_agenda(published, coordinator, change):
    with pytest.raises(ValidationError, match="Tagesordnung lässt sich nicht mehr ändern"):
        change(published, coordinator)

    assert list(AgendaItem.objects.filter(meeting=published).values_list("position", "title")) == [
        (1, "Begrüßung"),
        (2, "Ziele"),
    ]


def test_the_meeting_page_hides_the_agenda_buttons_after_publishing(client, published, coordinator):
    client.force_login(coordinator)

    page = client.get(published.get_absolute_url()).content.decode()

    for label in ("Erneut an die Eingeladenen senden", "Punkt hinzufügen", "Nach oben", "Entfernen"):
        assert label not in page
    assert "die Tagesordnung bleibt so, wie sie behandelt wurde" in page


def test_the_agenda_of_a_draft_can_still_be_changed(fachgruppe, coordinator):
    meeting = HeldMeetingFactory(space=fachgruppe)
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Entwurf")

    services.agenda_item_add(meeting=meeting, by=coordinator, fields={"title": "Verschiedenes"})

    assert meeting.agenda_items.count() == 2


def test_a_coordinator_notes_the_approval_shown_on_the_page_and_in_the_pdf(
    client, published, coordinator, partner
):
    client.force_login(coordinator)
    day = timezone.localdate()

    response = client.post(f"/meetings/{published.pk}/minutes/approve/", {"approved_on": day.isoformat()})

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=published)
    assert minutes.approved_on == day
    assert minutes.approved_by == coordinator
    client.force_login(partner)
    # A meta line of running text: the long date, as beside it "Veröffentlicht am" (portal.dates).
    assert f"Genehmigt am {day.day}. " in client.get(published.get_absolute_url()).content.decode()
    record = selectors_minutes.audience_record(minutes=minutes)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.minutes_pdf(record))).pages)
    assert "Genehmigt am" in text


def test_approval_needs_published_minutes_and_a_date_not_in_the_future(fachgruppe, published, coordinator):
    with pytest.raises(ValidationError, match="nicht in der Zukunft"):
        service.minutes_approve(
            meeting=published, by=coordinator, approved_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    draft = HeldMeetingFactory(space=fachgruppe)
    service.minutes_edit(meeting=draft, by=coordinator, introduction="Entwurf")
    with pytest.raises(ValidationError, match="nur ein veröffentlichtes Protokoll"):
        service.minutes_approve(meeting=draft, by=coordinator, approved_on=timezone.localdate())
    assert not Minutes.objects.filter(approved_on__isnull=False).exists()


def test_only_coordinators_of_the_home_space_note_an_approval(client, published, partner, inner_coordinator):
    for person in (partner, inner_coordinator):
        client.force_login(person)
        response = client.post(
            f"/meetings/{published.pk}/minutes/approve/", {"approved_on": timezone.localdate().isoformat()}
        )
        assert response.status_code == 404
    assert Minutes.objects.get(meeting=published).approved_on is None
