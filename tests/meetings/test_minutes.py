"""The minutes: drafts for coordinators, publishing that reaches the ring, history after publication."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from meetings import minutes as service
from meetings import selectors_minutes
from meetings.models import Decision, Minutes, MinutesRevision
from portal.notifications.kinds import Kind
from portal.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, ParticipantFactory
from tests.meetings.minutes_form import editor_fields
from tests.outbox import deliver_all


def _section(meeting, user, *, can_coordinate: bool) -> str:
    request = RequestFactory().get("/")
    request.user = user
    # What the meeting page's view hands its minutes section (meetings/views/core.py).
    record = selectors_minutes.minutes_record(user=user, meeting=meeting)
    return render_to_string(
        "meetings/_minutes_section.html",
        {"meeting": meeting, "can_coordinate": can_coordinate, "record": record},
        request=request,
    )


@pytest.fixture
def meeting(fachgruppe):
    return HeldMeetingFactory(space=fachgruppe, title="Gründungssitzung")


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, title="Ziele der Fachgruppe")


@pytest.fixture
def draft(meeting, item, coordinator):
    service.agenda_item_discussion_edit(
        agenda_item=item, by=coordinator, discussion="Die Ausbildung im Handwerk stärken."
    )
    service.decision_add(agenda_item=item, by=coordinator, text="Ein Konzept wird erarbeitet.")
    return Minutes.objects.get(meeting=meeting)


def test_the_first_edit_creates_a_draft(meeting, item, coordinator):
    service.agenda_item_discussion_edit(agenda_item=item, by=coordinator, discussion="Erste Notizen")

    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.DRAFT
    item.refresh_from_db()
    assert item.discussion == "Erste Notizen"


def test_only_coordinators_of_the_home_space_edit_minutes(meeting, item, partner):
    with pytest.raises(PermissionDenied):
        service.agenda_item_discussion_edit(agenda_item=item, by=partner, discussion="Meine Sicht")

    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_a_draft_is_absent_for_partners_and_shown_as_draft_to_coordinators(
    meeting, draft, partner, coordinator
):
    assert "Ein Konzept wird erarbeitet." not in _section(meeting, partner, can_coordinate=False)

    html = _section(meeting, coordinator, can_coordinate=True)
    assert "Ein Konzept wird erarbeitet." in html
    assert "Entwurf" in html
    assert "Protokoll bearbeiten" in html


def test_the_meeting_page_shows_the_draft_to_coordinators_only(client, meeting, draft, partner, coordinator):
    client.force_login(partner)
    assert "Ein Konzept wird erarbeitet." not in client.get(meeting.get_absolute_url()).content.decode()

    client.force_login(coordinator)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ein Konzept wird erarbeitet." in html
    assert "Entwurf" in html


def test_partners_get_404_for_the_draft_pdf_and_the_edit_page(client, meeting, draft, partner):
    client.force_login(partner)

    assert client.get(f"/meetings/{meeting.pk}/minutes.pdf").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 404


def _notified() -> set[int]:
    deliver_all()
    return set(
        Notification.objects.filter(event__kind=Kind.MINUTES_PUBLISHED).values_list("user_id", flat=True)
    )


def test_publishing_shows_the_minutes_and_reaches_the_ring_but_not_participants_outside_it(
    client, meeting, draft, partner, inner_member, coordinator
):
    ParticipantFactory(meeting=meeting, user=UserFactory())
    client.force_login(coordinator)

    response = client.post(f"/meetings/{meeting.pk}/minutes/publish/")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.PUBLISHED
    assert draft.published_by == coordinator
    assert _notified() == {partner.pk, inner_member.pk}
    assert "Ein Konzept wird erarbeitet." in _section(meeting, partner, can_coordinate=False)


def test_minutes_of_a_public_meeting_also_reach_participants_from_outside(fachgruppe, partner, coordinator):
    meeting = HeldMeetingFactory(space=fachgruppe, audience=None)
    guest = UserFactory()
    ParticipantFactory(meeting=meeting, user=guest)
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Offene Runde")

    service.minutes_publish(meeting=meeting, by=coordinator)

    assert guest.pk in _notified()
    assert partner.pk in _notified()


def test_published_minutes_cannot_be_published_twice(meeting, draft, coordinator):
    service.minutes_publish(meeting=meeting, by=coordinator)

    with pytest.raises(ValidationError, match="bereits veröffentlicht"):
        service.minutes_publish(meeting=meeting, by=coordinator)


def test_an_edit_after_publication_keeps_the_old_text_and_the_reason_in_the_history(
    client, meeting, item, draft, coordinator, partner
):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"item-{item.pk}-discussion"] = "Neue Fassung."
    fields["correction-reason"] = "Tippfehler im Namen"

    response = client.post(f"/meetings/{meeting.pk}/minutes/", fields)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "Neue Fassung."
    revision = MinutesRevision.objects.get(minutes=draft)
    assert revision.snapshot["items"][0]["discussion"] == "Die Ausbildung im Handwerk stärken."
    assert revision.snapshot["items"][0]["decisions"] == ["Ein Konzept wird erarbeitet."]
    assert revision.changed_by == coordinator
    assert revision.reason == "Tippfehler im Namen"
    client.force_login(partner)
    history = client.get(f"/meetings/{meeting.pk}/minutes/history/").content.decode()
    assert "Die Ausbildung im Handwerk stärken." in history
    assert "Tippfehler im Namen" in history
    assert "Tippfehler im Namen" in client.get(meeting.get_absolute_url()).content.decode()


def test_a_correction_without_a_reason_is_refused_and_keeps_the_typed_text(
    client, meeting, item, draft, coordinator
):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"item-{item.pk}-discussion"] = "Korrigierte Fassung ohne Grund."

    response = client.post(f"/meetings/{meeting.pk}/minutes/", fields)

    assert response.status_code == 400
    assert "Korrigierte Fassung ohne Grund." in response.content.decode()
    assert "warum Sie es korrigieren" in response.content.decode()
    item.refresh_from_db()
    assert item.discussion == "Die Ausbildung im Handwerk stärken."
    assert not MinutesRevision.objects.exists()
    with pytest.raises(ValidationError, match="warum Sie es korrigieren"):
        service.agenda_item_discussion_edit(agenda_item=item, by=coordinator, discussion="Ohne Grund")


def test_saving_published_minutes_unchanged_needs_no_reason_and_keeps_no_revision(
    client, meeting, item, draft, coordinator
):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(coordinator)

    response = client.post(f"/meetings/{meeting.pk}/minutes/", editor_fields(client, meeting))

    assert response.status_code == 302
    assert not MinutesRevision.objects.exists()


def test_edits_of_a_draft_keep_no_history(meeting, item, draft, coordinator):
    service.agenda_item_discussion_edit(agenda_item=item, by=coordinator, discussion="Zweiter Entwurf")

    assert not MinutesRevision.objects.exists()


def test_an_emptied_decision_is_refused_with_a_message_and_nothing_is_saved(
    client, meeting, item, draft, coordinator
):
    decision = Decision.objects.get()
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"decision-{decision.pk}-text"] = "   "
    fields["introduction"] = "Begrüßung durch die Koordination"

    response = client.post(f"/meetings/{meeting.pk}/minutes/", fields)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte prüfen Sie die markierten Angaben." in page
    assert "Begrüßung durch die Koordination" in page
    decision.refresh_from_db()
    assert decision.text == "Ein Konzept wird erarbeitet."
    assert Minutes.objects.get(meeting=meeting).introduction == ""


def test_coordinators_edit_and_delete_decisions_on_the_edit_page(client, meeting, item, draft, coordinator):
    decision = Decision.objects.get()
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"decision-{decision.pk}-text"] = "Geänderter Beschluss"

    client.post(f"/meetings/{meeting.pk}/minutes/", fields)

    decision.refresh_from_db()
    assert decision.text == "Geänderter Beschluss"
    fields = editor_fields(client, meeting)
    assert fields[f"decision-{decision.pk}-text"] == "Geänderter Beschluss"
    fields[f"item-{item.pk}-discussion"] = "Vor dem Löschen getippt."

    client.post(f"/meetings/{meeting.pk}/minutes/", {**fields, "delete_decision": decision.pk})

    assert not Decision.objects.exists()
    item.refresh_from_db()
    assert item.discussion == "Vor dem Löschen getippt."


def test_the_minutes_section_needs_the_same_queries_for_one_or_two_items(meeting, coordinator, partner):
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Begrüßung")
    service.minutes_publish(meeting=meeting, by=coordinator)
    _section(meeting, partner, can_coordinate=False)  # the person's rings are looked up once
    counts = []
    for _ in range(2):
        item = AgendaItemFactory(meeting=meeting)
        service.decision_add(agenda_item=item, by=coordinator, text="Beschlossen", reason="Nachtrag")
        service.action_item_add(
            meeting=meeting, by=coordinator, title="Nacharbeiten", assignees=[partner], reason="Nachtrag"
        )
        with CaptureQueriesContext(connection) as captured:
            _section(meeting, partner, can_coordinate=False)
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]
