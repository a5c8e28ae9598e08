"""The calendar: one meeting as iCalendar, the personal feed, the month view."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from groups.models import Membership
from meetings import calendar, selectors_calendar, services
from meetings.models import CalendarToken, Meeting
from tests.factories import StaffFactory, UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)
from tests.querycount import assert_constant_queries

BERLIN = selectors_calendar.BERLIN


def _parse(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(response) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in _parse(response).events}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BERLIN)


def _feed_url(user) -> str:
    return f"/meetings/feed/{calendar.feed_token_for(user=user).token}.ics"


def test_meeting_ics_has_a_stable_uid_berlin_time_and_a_timezone(client, fachgruppe, partner):
    meeting = MeetingFactory(
        space=fachgruppe, title="Fachgruppentreffen Juni", starts_at=_at(datetime.date(2026, 6, 28), 15)
    )
    client.force_login(partner)

    cal = _parse(client.get(f"/meetings/{meeting.pk}/ics/"))

    [event] = cal.events
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert event.start == datetime.datetime(2026, 6, 28, 15, 0, tzinfo=BERLIN)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.end == datetime.datetime(2026, 6, 28, 17, 0, tzinfo=BERLIN)
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Berlin"]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"http://testserver/meetings/{meeting.pk}/"


def test_a_changed_meeting_keeps_its_uid_with_a_higher_sequence(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)
    before = _parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]

    Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1, place="Handwerkskammer")
    after = _parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]

    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["LOCATION"]).startswith("Handwerkskammer")


def test_every_calendar_file_names_its_calendar_with_a_persistent_uid(
    client, fachgruppe, partner, inner_member
):
    """RFC 7986: the VCALENDAR's own UID is the same in every copy, so a client that imported or
    subscribed to it recognises the calendar instead of adding another."""
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)
    downloads = [_parse(client.get(f"/meetings/{meeting.pk}/ics/")) for _ in range(2)]
    invitation = Calendar.from_ical(
        selectors_calendar.ics_invitation(ParticipantFactory(meeting=meeting), with_link=False)
    )
    client.logout()
    first_feed = _parse(client.get(_feed_url(partner)))
    MeetingFactory(space=fachgruppe, title="Noch eine")
    client.force_login(partner)
    client.post("/meetings/calendar/subscribe/")  # a new secret address
    client.logout()
    later_feed = _parse(client.get(_feed_url(partner)))

    meeting_uid = f"calendar-meeting-{meeting.pk}@testserver"
    assert [str(cal["UID"]) for cal in [*downloads, invitation]] == [meeting_uid] * 3
    assert str(first_feed["UID"]) == str(later_feed["UID"]) == f"calendar-feed-{partner.pk}@testserver"
    assert len(later_feed.events) == len(first_feed.events) + 1
    assert (
        str(_parse(client.get(_feed_url(inner_member)))["UID"])
        == f"calendar-feed-{inner_member.pk}@testserver"
    )


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, status=Meeting.Status.CANCELLED)
    client.force_login(partner)

    event = _parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]

    assert str(event["STATUS"]) == "CANCELLED"


def test_description_lists_the_published_agenda_and_the_meeting_address(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, agenda_published_at=datetime.datetime.now(tz=BERLIN))
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    AgendaItemFactory(meeting=meeting, title="Ziele der Fachgruppe")
    client.force_login(partner)

    description = str(_parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]["DESCRIPTION"])

    assert "1. Begrüßung\n2. Ziele der Fachgruppe" in description
    assert f"http://testserver/meetings/{meeting.pk}/" in description


def test_video_link_is_in_the_ics_for_members_but_not_for_the_public(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, audience=None, video_url="https://meet.example.org/geheim")

    public = _parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]
    client.force_login(partner)
    member = _parse(client.get(f"/meetings/{meeting.pk}/ics/")).events[0]

    assert "geheim" not in public.to_ical().decode()
    assert "https://meet.example.org/geheim" in str(member["LOCATION"])


def test_tentative_meeting_without_a_date_has_no_calendar_entry(client, fachgruppe, partner):
    meeting = TentativeMeetingFactory(space=fachgruppe)
    client.force_login(partner)

    assert client.get(f"/meetings/{meeting.pk}/ics/").status_code == 404


def test_partner_cannot_download_an_inner_meeting(client, inner, partner):
    meeting = MeetingFactory(space=inner)
    client.force_login(partner)

    assert client.get(f"/meetings/{meeting.pk}/ics/").status_code == 404


def test_feed_needs_no_login_and_holds_only_what_the_person_may_see(client, fachgruppe, inner, partner):
    MeetingFactory(space=fachgruppe, title="Fachgruppentreffen")
    MeetingFactory(space=inner, title="Innerer Kreis")
    MeetingFactory(space=fachgruppe, audience=None, title="Öffentliche Schulung")
    TentativeMeetingFactory(space=fachgruppe, title="Irgendwann im Herbst")

    response = client.get(_feed_url(partner))

    assert set(_events(response)) == {"Fachgruppentreffen", "Öffentliche Schulung"}
    # No shared cache may keep it; the client may, to ask again with its validators.
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_tentative_meeting_with_a_date_is_tentative_in_the_feed(client, fachgruppe, partner):
    TentativeMeetingFactory(
        space=fachgruppe, title="Vielleicht", starts_at=_at(datetime.date(2026, 10, 6), 10)
    )

    event = _events(client.get(_feed_url(partner)))["Vielleicht"]

    assert str(event["STATUS"]) == "TENTATIVE"


def test_feed_gives_the_video_link_to_participants_and_the_ring_only(client, fachgruppe, partner):
    guest = UserFactory()
    invited = MeetingFactory(
        space=fachgruppe, audience=None, title="Eingeladen", video_url="https://v.example/a"
    )
    MeetingFactory(space=fachgruppe, audience=None, title="Nur öffentlich", video_url="https://v.example/b")
    MeetingFactory(space=fachgruppe, title="Fachgruppe", video_url="https://v.example/c")
    ParticipantFactory(meeting=invited, user=guest)

    as_guest = _events(client.get(_feed_url(guest)))
    as_partner = _events(client.get(_feed_url(partner)))

    assert set(as_guest) == {"Eingeladen", "Nur öffentlich"}
    assert "https://v.example/a" in str(as_guest["Eingeladen"]["LOCATION"])
    assert "v.example" not in as_guest["Nur öffentlich"].to_ical().decode()
    assert {name: "v.example" in event.to_ical().decode() for name, event in as_partner.items()} == {
        "Eingeladen": True,
        "Nur öffentlich": True,
        "Fachgruppe": True,
    }


def test_feed_queries_do_not_grow_with_meetings(client, fachgruppe, inner, partner):
    outside = UserFactory()

    def grow():
        for space, audience in ((fachgruppe, fachgruppe), (inner, None)):
            meeting = MeetingFactory(
                space=space, audience=audience, agenda_published_at=datetime.datetime.now(BERLIN)
            )
            AgendaItemFactory(meeting=meeting)
            ParticipantFactory(meeting=meeting, user=outside)
        ParticipantFactory(meeting=meeting, user=partner)

    queries = assert_constant_queries(client, _feed_url(partner), grow=grow)
    assert queries <= 8
    assert_constant_queries(client, _feed_url(outside), grow=grow)


def test_leaving_a_space_removes_its_meetings_from_the_feed_at_once(client, fachgruppe, inner, inner_member):
    MeetingFactory(space=inner, title="Innerer Kreis")
    url = _feed_url(inner_member)
    assert "Innerer Kreis" in _events(client.get(url))

    Membership.objects.filter(user=inner_member, space=inner).delete()

    assert "Innerer Kreis" not in _events(client.get(url))


def test_a_new_feed_address_revokes_the_old_one(client, partner):
    old_url = _feed_url(partner)
    client.force_login(partner)

    response = client.post("/meetings/calendar/subscribe/", follow=True)

    new_url = _feed_url(partner)
    assert new_url != old_url
    assert new_url in response.content.decode()
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_unknown_feed_token_is_not_found(client, db):
    assert client.get("/meetings/feed/nichts-dergleichen.ics").status_code == 404


def test_subscribe_page_shows_the_personal_address(client, partner):
    client.force_login(partner)

    response = client.get("/meetings/calendar/subscribe/")

    token = CalendarToken.objects.get(user=partner).token
    assert f"http://testserver/meetings/feed/{token}.ics" in response.content.decode()


def test_month_view_shows_only_visible_meetings_on_their_day(client, fachgruppe, inner, partner):
    MeetingFactory(
        space=fachgruppe, title="Fachgruppentreffen", starts_at=_at(datetime.date(2026, 10, 6), 15)
    )
    MeetingFactory(space=inner, title="Innerer Kreis", starts_at=_at(datetime.date(2026, 10, 7), 15))
    MeetingFactory(space=fachgruppe, title="Im November", starts_at=_at(datetime.date(2026, 11, 20), 15))
    client.force_login(partner)

    response = client.get("/meetings/calendar/?month=2026-10")

    month = response.context["month"]
    shown = {
        day.date: [m.title for m in day.meetings] for week in month.weeks for day in week if day.meetings
    }
    assert shown == {datetime.date(2026, 10, 6): ["Fachgruppentreffen"]}
    assert [day.date.weekday() for day in month.weeks[0]] == [0, 1, 2, 3, 4, 5, 6]
    content = response.content.decode()
    assert "Innerer Kreis" not in content
    assert "?month=2026-11" in content
    assert "?month=2026-09" in content


def test_month_view_marks_today_and_only_today(client, db):
    today = timezone.localdate()

    content = client.get("/meetings/calendar/").content.decode()

    cell = r"<td[^>]*>\s*<div[^>]*><time datetime=\"([0-9-]+)\""
    cells = re.findall(cell, content)
    marked = re.findall(cell.replace("<td[^>]*>", '<td[^>]*aria-current="date"[^>]*>'), content)
    assert today.isoformat() in cells
    assert marked == [today.isoformat()]
    assert content.count('class="calendar-month__today"') == 1


def test_month_view_with_a_bad_month_shows_the_current_one(client, db):
    response = client.get("/meetings/calendar/?month=Oktober")

    assert response.status_code == 200
    assert response.context["month"].first == selectors_calendar.parse_month(None)


def test_month_view_queries_do_not_grow_with_meetings(client, fachgruppe, partner):
    client.force_login(partner)
    day = datetime.date(2026, 10, 1)

    def grow():
        MeetingFactory(
            space=fachgruppe, starts_at=_at(day + datetime.timedelta(days=Meeting.objects.count()), 9)
        )

    assert_constant_queries(client, "/meetings/calendar/?month=2026-10", grow=grow)


@pytest.mark.parametrize("month", ["2026-10", "2026-12"])
def test_month_navigation_crosses_years(month):
    first = selectors_calendar.parse_month(month)
    month_ = selectors_calendar.Month(first=first, weeks=[])

    assert month_.next.day == 1
    assert month_.previous.day == 1
    assert (month_.next - first).days in {30, 31}


def test_feed_holds_a_year_back_and_everything_ahead(client, fachgruppe, partner, settings):
    settings.CALENDAR_FEED_MONTHS_BACK = 12
    now = timezone.now()
    MeetingFactory(space=fachgruppe, title="Vor zwei Jahren", starts_at=now - datetime.timedelta(days=730))
    MeetingFactory(
        space=fachgruppe, title="Vor einem halben Jahr", starts_at=now - datetime.timedelta(days=180)
    )
    MeetingFactory(space=fachgruppe, title="In drei Jahren", starts_at=now + datetime.timedelta(days=1100))

    assert set(_events(client.get(_feed_url(partner)))) == {"Vor einem halben Jahr", "In drei Jahren"}


def test_feed_answers_304_while_nothing_changed(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, title="Treffen")
    url = _feed_url(partner)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304

    services.meeting_update(meeting=meeting, by=StaffFactory(), fields={"title": "Neuer Titel"})
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert set(_events(changed)) == {"Neuer Titel"}
    assert changed["ETag"] != etag


def test_a_poll_without_validators_gets_the_kept_file_until_something_changes(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, title="Treffen")
    url = _feed_url(partner)
    first = client.get(url)

    with CaptureQueriesContext(connection) as again:
        second = client.get(url)

    assert second.content == first.content
    assert not any("meetings_agendaitem" in query["sql"] for query in again.captured_queries)
    services.meeting_update(meeting=meeting, by=StaffFactory(), fields={"title": "Umbenannt"})
    assert set(_events(client.get(url))) == {"Umbenannt"}


def test_feed_etag_changes_when_a_meeting_leaves_the_window_of_what_one_sees(
    client, fachgruppe, inner, inner_member
):
    MeetingFactory(space=inner, title="Innerer Kreis")
    url = _feed_url(inner_member)
    etag = client.get(url)["ETag"]

    Membership.objects.filter(user=inner_member, space=inner).delete()

    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_feed_etag_changes_with_the_published_agenda(client, fachgruppe, partner, coordinator):
    meeting = MeetingFactory(space=fachgruppe, agenda_published_at=timezone.now())
    item = AgendaItemFactory(meeting=meeting, title="Begrüßung")
    url = _feed_url(partner)
    etag = client.get(url)["ETag"]

    services.agenda_item_update(item=item, by=coordinator, fields={"title": "Rückblick"})

    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Rückblick" in str(_events(changed)[meeting.title]["DESCRIPTION"])


def test_meeting_ics_answers_304_to_its_etag(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)
    url = f"/meetings/{meeting.pk}/ics/"
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"anders"'}).status_code == 200


def test_feed_validators_need_no_rendering_and_few_queries(client, fachgruppe, partner):
    for _ in range(3):
        MeetingFactory(space=fachgruppe)
    url = _feed_url(partner)
    etag = client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert not any("meetings_agendaitem" in query["sql"] for query in captured.captured_queries)
    assert len(captured.captured_queries) <= 5
