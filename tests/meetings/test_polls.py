"""Date polls: a coordinator proposes dates, the invitees answer, closing fixes the meeting."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from groups.models import Membership
from meetings import polls
from meetings.models import DatePoll, Meeting, PollAnswer
from meetings.selectors_calendar import BERLIN
from portal.notifications import delivery
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories import UserFactory
from tests.factories.meetings import ParticipantFactory, TentativeMeetingFactory
from tests.querycount import assert_constant_queries


def _deliver_all() -> None:
    """What the worker does, synchronously: dispatch every pending event, send the immediate mails."""
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)


def _notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(event__kind=kind).values_list("user_id", flat=True))


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 10, day, hour, tzinfo=BERLIN)


@pytest.fixture
def meeting(fachgruppe):
    return TentativeMeetingFactory(space=fachgruppe, title="Fachgruppentreffen Herbst")


@pytest.fixture
def poll(meeting, coordinator):
    return polls.poll_open(
        meeting=meeting, by=coordinator, options=[(_at(6, 15), _at(6, 17)), (_at(13, 10), _at(13, 12))]
    )


def _option_ids(poll) -> list[int]:
    return list(poll.options.values_list("pk", flat=True))


def test_coordinator_opens_a_poll_through_the_form(client, meeting, coordinator):
    client.force_login(coordinator)
    data = {"options-TOTAL_FORMS": "5", "options-INITIAL_FORMS": "0"}
    data |= {"options-0-date": "2026-10-06", "options-0-start": "15:00", "options-0-end": "17:00"}
    data |= {"options-1-date": "2026-10-13", "options-1-start": "10:00", "options-1-end": "12:00"}

    response = client.post(f"/meetings/{meeting.pk}/poll/new/", data)

    assert response.status_code == 302
    poll = DatePoll.objects.get(meeting=meeting)
    assert [o.starts_at for o in poll.options.all()] == [_at(6, 15), _at(13, 10)]


def test_poll_form_keeps_what_was_typed_when_a_row_is_incomplete(client, meeting, coordinator):
    client.force_login(coordinator)
    data = {"options-TOTAL_FORMS": "5", "options-INITIAL_FORMS": "0"}
    data |= {"options-0-date": "2026-10-06", "options-0-start": "15:00"}

    response = client.post(f"/meetings/{meeting.pk}/poll/new/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte geben Sie Datum, Beginn und Ende an" in content
    assert 'value="2026-10-06"' in content
    assert not DatePoll.objects.exists()


def test_poll_only_for_tentative_meetings(fachgruppe, coordinator):
    meeting = TentativeMeetingFactory(space=fachgruppe, status=Meeting.Status.PLANNED)

    with pytest.raises(ValidationError, match="nur für vorläufige Termine"):
        polls.poll_open(meeting=meeting, by=coordinator, options=[(_at(6, 15), _at(6, 17))])


_POLL_FORM = {
    "options-TOTAL_FORMS": "1",
    "options-INITIAL_FORMS": "0",
    "options-0-date": "2026-10-20",
    "options-0-start": "15:00",
    "options-0-end": "17:00",
}


@pytest.mark.parametrize("person", ["partner", "inner_coordinator"], indirect=True)
def test_only_the_home_space_coordination_opens_a_poll(client, meeting, person):
    """A member of the Fachgruppe, and the inner circle's coordinator (a plain member here), find no
    poll form, and a forged submission changes nothing."""
    client.force_login(person)

    assert client.get(f"/meetings/{meeting.pk}/poll/new/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/poll/new/", _POLL_FORM).status_code == 404
    with pytest.raises(PermissionDenied):
        polls.poll_open(meeting=meeting, by=person, options=[(_at(6, 15), _at(6, 17))])
    assert not DatePoll.objects.exists()


@pytest.mark.parametrize("person", ["partner", "inner_coordinator"], indirect=True)
def test_only_the_home_space_coordination_closes_a_poll(client, meeting, poll, person):
    first, _second = _option_ids(poll)
    client.force_login(person)

    assert client.post(f"/meetings/{meeting.pk}/poll/close/", {"option": first}).status_code == 404
    with pytest.raises(PermissionDenied):
        polls.poll_close(poll=poll, option=poll.options.first(), by=person)
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.OPEN


def test_a_fachgruppe_coordinator_finds_no_poll_of_an_inner_meeting(
    client, inner, coordinator, fachgruppe_coordinator
):
    meeting = TentativeMeetingFactory(space=inner, title="Internes Treffen")
    polls.poll_open(meeting=meeting, by=coordinator, options=[(_at(6, 15), _at(6, 17))])
    client.force_login(fachgruppe_coordinator)

    assert client.get(f"/meetings/{meeting.pk}/poll/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/poll/new/", _POLL_FORM).status_code == 404
    option = meeting.poll.options.get()
    assert client.post(f"/meetings/{meeting.pk}/poll/close/", {"option": option.pk}).status_code == 404
    assert DatePoll.objects.get(meeting=meeting).status == DatePoll.Status.OPEN


def test_opening_a_poll_notifies_ring_members_and_participants(
    fachgruppe, partner, inner_member, coordinator, outsider
):
    meeting = TentativeMeetingFactory(space=fachgruppe, audience=None, title="Offener Erfahrungsaustausch")
    guest = UserFactory()
    ParticipantFactory(meeting=meeting, user=guest)

    polls.poll_open(meeting=meeting, by=coordinator, options=[(_at(6, 15), _at(6, 17))])
    _deliver_all()

    assert _notified(Kind.POLL_OPENED) == {partner.pk, inner_member.pk, guest.pk}


def test_invitee_answers_all_options_with_one_form_and_sees_the_results(client, meeting, poll, partner):
    first, second = _option_ids(poll)
    client.force_login(partner)

    response = client.post(
        f"/meetings/{meeting.pk}/poll/", {f"option_{first}": "yes", f"option_{second}": "maybe"}, follow=True
    )

    results = response.context["panel"].results
    assert [(r.yes, r.maybe, r.no) for r in results.options] == [(1, 0, 0), (0, 1, 0)]
    assert [(row.name, [a.label for a in row.answers]) for row in results.people] == [
        (partner.name, ["Ja", "Wenn nötig"])
    ]
    assert "Vielen Dank, Ihre Antworten sind gespeichert." in response.content.decode()


def test_answering_again_replaces_the_earlier_answer(meeting, poll, partner):
    first, second = _option_ids(poll)
    polls.poll_answer(poll=poll, user=partner, answers={first: "yes", second: "yes"})
    polls.poll_answer(poll=poll, user=partner, answers={first: "no", second: "yes"})

    assert dict(PollAnswer.objects.filter(user=partner).values_list("option_id", "answer")) == {
        first: "no",
        second: "yes",
    }


def test_an_unanswered_option_is_refused_and_the_rest_kept(client, meeting, poll, partner):
    first, _second = _option_ids(poll)
    client.force_login(partner)

    response = client.post(f"/meetings/{meeting.pk}/poll/", {f"option_{first}": "yes"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bitte wählen Sie eine Antwort für diesen Termin." in content
    assert re.search(rf'<input[^>]*name="option_{first}" value="yes"[^>]*checked', content)
    assert not PollAnswer.objects.exists()


def test_outsider_cannot_see_or_answer_a_fachgruppe_poll(client, meeting, poll, outsider):
    first, second = _option_ids(poll)
    client.force_login(outsider)

    assert client.get(f"/meetings/{meeting.pk}/poll/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/poll/", {f"option_{first}": "yes"}).status_code == 404
    with pytest.raises(ValidationError):
        polls.poll_answer(poll=poll, user=outsider, answers={first: "yes", second: "no"})


def test_closing_the_poll_fixes_the_date_and_notifies_the_invitees(
    client, meeting, poll, coordinator, partner, inner_member
):
    first, second = _option_ids(poll)
    polls.poll_answer(poll=poll, user=partner, answers={first: "no", second: "yes"})
    Event.objects.all().delete()
    client.force_login(coordinator)

    response = client.post(f"/meetings/{meeting.pk}/poll/close/", {"option": second})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (_at(13, 10), _at(13, 12))
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.sequence == 1
    poll.refresh_from_db()
    assert poll.status == DatePoll.Status.CLOSED
    assert poll.chosen_option_id == second
    _deliver_all()
    assert _notified(Kind.POLL_CLOSED) == {partner.pk, inner_member.pk}
    assert mail.outbox == []  # a space's activity goes into the digests, not an immediate mail


def test_closing_the_poll_ends_the_tentative_period(client, meeting, poll, coordinator, partner):
    assert meeting.tentative_period == "Oktober/November 2026"
    client.force_login(coordinator)
    client.post(f"/meetings/{meeting.pk}/poll/close/", {"option": _option_ids(poll)[1]})

    meeting.refresh_from_db()
    assert meeting.tentative_period == ""
    client.force_login(partner)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Dienstag, 13. Oktober 2026, 10:00–12:00 Uhr" in page
    assert "Oktober/November 2026" not in page
    assert "Oktober/November 2026" not in client.get("/meetings/").content.decode()


def test_a_closed_poll_takes_no_more_answers(meeting, poll, coordinator, partner):
    first, second = _option_ids(poll)
    polls.poll_close(poll=poll, option=poll.options.first(), by=coordinator)

    with pytest.raises(ValidationError, match="bereits abgeschlossen"):
        polls.poll_answer(poll=poll, user=partner, answers={first: "yes", second: "yes"})
    with pytest.raises(ValidationError, match="bereits abgeschlossen"):
        polls.poll_close(poll=poll, option=poll.options.first(), by=coordinator)


def test_poll_section_on_the_meeting_page_offers_the_answer_form(client, meeting, poll, partner):
    client.force_login(partner)

    content = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert "Terminumfrage" in content
    assert "Antworten speichern" in content
    assert "Termin festlegen" not in content


def test_poll_page_queries_do_not_grow_with_answers(client, meeting, poll, partner):
    first, second = _option_ids(poll)
    client.force_login(partner)

    def grow():
        polls.poll_answer(poll=poll, user=_new_member(meeting), answers={first: "yes", second: "no"})

    assert_constant_queries(client, f"/meetings/{meeting.pk}/poll/", grow=grow)


def _new_member(meeting):
    user = UserFactory()
    Membership.objects.create(space=meeting.space, user=user)
    return user
