import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Meeting, Participant
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from tests.factories.meetings import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)
from tests.querycount import assert_constant_queries


def test_coordinator_plans_a_meeting_and_the_ring_hears_of_it(client, coordinator, fachgruppe):
    client.force_login(coordinator)
    response = client.post(
        "/meetings/new/",
        {
            "space": fachgruppe.pk,
            "audience": str(fachgruppe.pk),
            "title": "Sitzung der Fachgruppe Handwerk",
            "kind": "sitzung",
            "date": "2031-06-28",
            "start_time": "15:00",
            "end_time": "17:00",
            "place": "Videokonferenz",
        },
    )
    meeting = Meeting.objects.get(title="Sitzung der Fachgruppe Handwerk")
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.PLANNED
    assert Event.objects.filter(kind=Kind.MEETING_SCHEDULED, ring=fachgruppe).exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Samstag, 28. Juni 2031, 15:00–17:00 Uhr" in page


def test_a_meeting_without_date_or_period_is_refused_keeping_the_input(client, coordinator, fachgruppe):
    client.force_login(coordinator)
    response = client.post(
        "/meetings/new/",
        {"space": fachgruppe.pk, "audience": "public", "title": "Ohne Termin", "kind": "sitzung"},
    )
    assert response.status_code == 200
    assert "Ohne Termin" in response.content.decode()
    assert not Meeting.objects.filter(title="Ohne Termin").exists()


def test_partner_gets_404_on_the_coordinator_pages(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 404
    assert client.get("/meetings/new/").status_code == 404


def test_changing_time_or_place_raises_the_sequence_and_notifies(coordinator, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    services.meeting_update(meeting=meeting, by=coordinator, fields={"place": "Berlin"})
    services.meeting_update(meeting=meeting, by=coordinator, fields={"capacity": 12})
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert Event.objects.filter(kind=Kind.MEETING_CHANGED).count() == 1


def test_a_tentative_meeting_given_a_date_is_planned_without_its_period(coordinator, fachgruppe):
    meeting = TentativeMeetingFactory(space=fachgruppe)
    starts_at = timezone.now() + datetime.timedelta(days=40)
    services.meeting_update(meeting=meeting, by=coordinator, fields={"starts_at": starts_at})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.tentative_period) == (Meeting.Status.PLANNED, "")


def test_a_planned_meeting_without_its_date_is_tentative_again_with_a_period(coordinator, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    services.meeting_update(
        meeting=meeting,
        by=coordinator,
        fields={"starts_at": None, "ends_at": None, "tentative_period": "Mai 2027"},
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.tentative_period) == (
        Meeting.Status.TENTATIVE,
        None,
        "Mai 2027",
    )


def test_cancelling_raises_the_sequence_and_cannot_happen_twice(coordinator, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    services.meeting_cancel(meeting=meeting, by=coordinator)
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 1
    assert Event.objects.filter(kind=Kind.MEETING_CANCELLED).exists()
    with pytest.raises(ValidationError, match="abgesagt"):
        services.meeting_cancel(meeting=meeting, by=coordinator)


def test_inner_meeting_is_hidden_from_partners_and_the_public(client, partner, inner):
    meeting = MeetingFactory(space=inner, title="Vertrauliche Runde")
    client.force_login(partner)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert "Vertrauliche Runde" not in client.get("/meetings/").content.decode()
    assert "Vertrauliche Runde" not in client.get("/").content.decode()
    client.logout()
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 302


def test_video_link_only_for_the_ring_not_the_public(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe, audience=None, video_url="https://meet.example.org/geheim")
    assert "meet.example.org/geheim" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(partner)
    assert "meet.example.org/geheim" in client.get(meeting.get_absolute_url()).content.decode()


def test_open_action_items_of_the_previous_meeting_appear_on_the_next(client, partner, fachgruppe):
    earlier = MeetingFactory(space=fachgruppe, starts_at=timezone.now() - datetime.timedelta(days=60))
    ActionItemFactory(meeting=earlier, title="Leitfaden entwerfen")
    ActionItemFactory(meeting=earlier, title="Schon erledigt", status=ActionItem.Status.DONE)
    upcoming = MeetingFactory(space=fachgruppe)
    client.force_login(partner)
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert "Leitfaden entwerfen" in page
    assert "Schon erledigt" not in page


def test_participant_excuses_themselves_and_the_list_shows_it(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    ParticipantFactory(meeting=meeting, user=partner, name=partner.name)
    client.force_login(partner)
    client.post(f"/meetings/{meeting.pk}/participants/respond/", {"response": "excused", "note": "Urlaub"})
    participant = Participant.objects.get(meeting=meeting, user=partner)
    assert participant.response == Participant.Response.EXCUSED
    assert "Entschuldigt" in client.get(meeting.get_absolute_url()).content.decode()


def test_coordinator_records_attendance_after_the_meeting(coordinator, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe, starts_at=timezone.now() - datetime.timedelta(hours=3))
    there = ParticipantFactory(meeting=meeting)
    away = ParticipantFactory(meeting=meeting)
    assert services.attendance_record(meeting=meeting, by=coordinator, present_ids={there.pk}) == 1
    away.refresh_from_db()
    assert away.attended is False


def test_tentative_meeting_shows_its_period_on_the_start_page(client, fachgruppe):
    TentativeMeetingFactory(space=fachgruppe, audience=None, title="Fachgruppentreffen Herbst")
    page = client.get("/").content.decode()
    assert "Fachgruppentreffen Herbst" in page
    assert "Oktober/November 2026" in page


def test_meeting_list_has_constant_queries(client, partner, fachgruppe):
    client.force_login(partner)
    assert_constant_queries(client, "/meetings/", grow=lambda: MeetingFactory(space=fachgruppe))


def test_meeting_detail_has_constant_queries(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)

    def grow():
        AgendaItemFactory(meeting=meeting)
        ParticipantFactory(meeting=meeting)
        ActionItemFactory(
            meeting=MeetingFactory(space=fachgruppe, starts_at=timezone.now() - datetime.timedelta(days=9))
        )

    assert_constant_queries(client, meeting.get_absolute_url(), grow=grow)
