"""The coordinator dashboard: the right numbers for the right people, as charts with tables, as CSV."""

import datetime
import re

import pytest
from django.utils import timezone

from groups.models import JoinRequest, Membership, MembershipChange
from meetings.models import ActionItem, Decision, Participant
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event
from tests.factories import UserFactory
from tests.factories.groups import QuestionFactory
from tests.factories.meetings import (
    ActionItemFactory,
    AgendaItemFactory,
    HeldMeetingFactory,
    MeetingFactory,
    ParticipantFactory,
)
from tests.factories.projects import ProjectFactory, accepted, reviewed, submitted
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"?von={YEAR}-01-01&bis={YEAR}-12-31"


def _at(month: int, day: int = 10, hour: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def _section(response, slug: str):
    return next(section for section in response.context["sections"] if section.slug == slug)


def _month_rows(section) -> dict[int, list]:
    return {row[0].month: row[1:] for row in section.table.rows}


@pytest.fixture
def dashboard(client, fachgruppe, fachgruppe_coordinator):
    client.force_login(fachgruppe_coordinator)

    def get(query: str = PERIOD, slug: str = fachgruppe.slug):
        return client.get(f"/auswertung/{slug}/{query}")

    return get


def _joined(space, month: int, **kwargs) -> Membership:
    membership = Membership.objects.create(space=space, user=UserFactory(), **kwargs)
    Membership.objects.filter(pk=membership.pk).update(joined_at=_at(month))
    return membership


def test_members_show_joins_and_leaves_per_month_and_the_members_at_each_end(dashboard, fachgruppe):
    before = Membership.objects.filter(space=fachgruppe).count()  # the coordinator, joined today
    _joined(fachgruppe, 2)
    _joined(fachgruppe, 2)
    _joined(fachgruppe, 5)
    left = MembershipChange.objects.create(
        space=fachgruppe, action=MembershipChange.Action.LEFT, role_before=Membership.Role.MEMBER
    )
    MembershipChange.objects.filter(pk=left.pk).update(changed_at=_at(7))

    section = _section(dashboard(), "members")
    rows = _month_rows(section)

    # The one who left in July was a member before it (their join is no longer on record).
    assert rows[1] == [0, 0, 1]
    assert rows[2] == [2, 0, 3]
    assert rows[5] == [1, 0, 4]
    assert rows[7] == [0, 1, 3]
    assert rows[12] == [0, 0, 3]
    assert [fact.value for fact in section.facts] == [3 + before, 1]


def test_join_requests_count_per_month_with_the_average_days_to_a_decision(dashboard, fachgruppe):
    for decided_after_days, status in [(2, JoinRequest.Status.APPROVED), (4, JoinRequest.Status.DECLINED)]:
        request = JoinRequest.objects.create(space=fachgruppe, user=UserFactory(), status=status)
        JoinRequest.objects.filter(pk=request.pk).update(
            created_at=_at(3), decided_at=_at(3) + datetime.timedelta(days=decided_after_days)
        )
    JoinRequest.objects.create(space=fachgruppe, user=UserFactory())  # open, made today

    section = _section(dashboard(), "join-requests")

    assert _month_rows(section)[3] == [2, 1, 1, 0, 0]
    facts = {fact.label: fact.value for fact in section.facts}
    assert facts["Offene Anfragen heute"] == 1
    assert facts["Durchschnittliche Tage bis zur Entscheidung (im Zeitraum entschieden)"] == 3.0


def test_each_meeting_held_shows_its_answers_attendance_and_rate(dashboard, fachgruppe):
    meeting = HeldMeetingFactory(space=fachgruppe, title="Frühjahrssitzung", starts_at=_at(4))
    HeldMeetingFactory(space=fachgruppe, title="Abgesagt", starts_at=_at(5), status="cancelled")
    for response, attended in [
        (Participant.Response.ACCEPTED, True),
        (Participant.Response.ACCEPTED, True),
        (Participant.Response.ACCEPTED, False),
        (Participant.Response.EXCUSED, None),
        (Participant.Response.DECLINED, None),
    ]:
        ParticipantFactory(meeting=meeting, response=response, attended=attended)

    section = _section(dashboard(), "meetings")

    assert section.table.rows == [
        [datetime.date(YEAR, 4, 10), "Frühjahrssitzung", "Sitzung", 5, 3, 1, 1, 2, 40.0]
    ]
    assert section.facts[0].value == 1


def test_decisions_and_action_items_open_overdue_done_and_days_to_done(dashboard, fachgruppe):
    meeting = HeldMeetingFactory(space=fachgruppe, starts_at=_at(6))
    Decision.objects.create(agenda_item=AgendaItemFactory(meeting=meeting), text="Beschlossen.")
    ActionItemFactory(meeting=meeting, due_date=datetime.date(YEAR, 7, 1))  # overdue
    ActionItemFactory(meeting=meeting, due_date=timezone.localdate() + datetime.timedelta(days=9))
    ActionItemFactory(
        meeting=meeting, status=ActionItem.Status.DONE, done_at=_at(6) + datetime.timedelta(days=6)
    )
    ActionItemFactory(
        meeting=meeting, status=ActionItem.Status.DONE, done_at=_at(6) + datetime.timedelta(days=3)
    )

    section = _section(dashboard(), "decisions")

    assert _month_rows(section)[6] == [1, 4, 2, 1, 2, 4.5]
    assert [fact.value for fact in section.facts] == [1, 2, 1, 2, 4.5]


def test_questions_count_with_the_days_to_their_answer(dashboard, fachgruppe):
    answered = QuestionFactory(space=fachgruppe, status="answered")
    type(answered).objects.filter(pk=answered.pk).update(
        created_at=_at(9), answered_at=_at(9) + datetime.timedelta(days=10)
    )
    waiting = QuestionFactory(space=fachgruppe, status="submitted")
    type(waiting).objects.filter(pk=waiting.pk).update(created_at=_at(9))

    section = _section(dashboard(), "questions")

    assert _month_rows(section)[9] == [2, 1, 0, 0, 1, 10.0]


def test_the_project_pipeline_counts_per_round(dashboard, fachgruppe, coordinator, inner_member):
    accepted(ProjectFactory(submitted_by=inner_member), by=coordinator)
    reviewed(submitted(ProjectFactory(submitted_by=inner_member)), by=coordinator)
    submitted(ProjectFactory(submitted_by=inner_member), number=2)

    section = _section(dashboard(f"?von={timezone.localdate():%Y-%m}-01"), "projects")

    # Round 1: three submitted (the one now in round 2 too), one accepted, one in review.
    assert section.table.rows == [[1, 3, 0, 1, 1, 0, 0], [2, 1, 1, 0, 0, 0, 0]]


def test_delivery_health_shows_the_backlog_and_failures(dashboard, fachgruppe, partner):
    event = Event.objects.create(kind=Kind.THREAD_CREATED, audience=Event.Audience.RING, space=fachgruppe)
    Delivery.objects.create(event=event, user=partner, channel=Channel.IMMEDIATE, status=Delivery.Status.SENT)
    Delivery.objects.create(
        event=event, user=UserFactory(), channel=Channel.IMMEDIATE, status=Delivery.Status.FAILED
    )
    Delivery.objects.create(event=event, user=UserFactory(), channel=Channel.IMMEDIATE)
    Delivery.objects.create(event=event, user=UserFactory(), channel=Channel.DAILY)

    section = _section(dashboard(""), "delivery")
    facts = {fact.label: fact.value for fact in section.facts}

    assert section.table.rows[-1][1:] == [4, 1, 1, 0, 0, 0]
    assert facts["Ereignisse, die jetzt auf die Verteilung warten"] == 1
    assert facts["E-Mails, die jetzt auf den Versand warten"] == 1
    assert facts["E-Mails, die auf einen Überblick warten"] == 1
    assert facts["Fehlgeschlagene E-Mails im Zeitraum"] == 1


def test_inner_content_never_counts_on_the_fachgruppe_dashboard(dashboard, fachgruppe, inner):
    shared = HeldMeetingFactory(space=inner, audience=fachgruppe, starts_at=_at(4), title="Geteilte Sitzung")
    ParticipantFactory(meeting=shared, attended=True)
    Decision.objects.create(agenda_item=AgendaItemFactory(meeting=shared), text="Vertraulich.")
    QuestionFactory(space=inner)
    _joined(inner, 4)

    response = dashboard()

    assert _section(response, "meetings").table.rows == []
    assert _month_rows(_section(response, "decisions"))[4][0] == 0
    assert _month_rows(_section(response, "members"))[4][0] == 0
    assert "Geteilte Sitzung" not in response.content.decode()


@pytest.mark.parametrize("role", ["partner", "inner_member", "inner_coordinator", "outsider"])
def test_the_dashboard_does_not_exist_for_anyone_but_its_coordinators(client, fachgruppe, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(f"/auswertung/{fachgruppe.slug}/").status_code == 404
    assert client.get(f"/auswertung/{fachgruppe.slug}/members.csv").status_code == 404


def test_the_fachgruppe_coordinator_has_no_dashboard_of_the_inner_circle(
    client, inner, fachgruppe_coordinator
):
    client.force_login(fachgruppe_coordinator)

    assert client.get(f"/auswertung/{inner.slug}/").status_code == 404


def test_the_page_asks_a_constant_number_of_queries(client, fachgruppe, fachgruppe_coordinator):
    client.force_login(fachgruppe_coordinator)
    month = iter(range(1, 13))

    def grow():
        at = _at(next(month))
        meeting = HeldMeetingFactory(space=fachgruppe, starts_at=at)
        ParticipantFactory(meeting=meeting, attended=True)
        ActionItemFactory(meeting=meeting, status=ActionItem.Status.DONE, done_at=at)
        Decision.objects.create(agenda_item=AgendaItemFactory(meeting=meeting), text="Beschluss.")
        QuestionFactory(space=fachgruppe)
        _joined(fachgruppe, at.month)

    queries = assert_constant_queries(client, f"/auswertung/{fachgruppe.slug}/{PERIOD}", grow=grow)

    assert queries == 28


def test_every_chart_is_an_image_with_title_and_description_beside_a_table(dashboard):
    page = dashboard().content.decode()

    charts = re.findall(
        r'<svg class="chart"[^>]*role="img" aria-labelledby="([^"]+)" aria-describedby="([^"]+)"', page
    )
    assert len(charts) >= 7
    for title_id, desc_id in charts:
        assert f'<title id="{title_id}">' in page
        assert f'<desc id="{desc_id}">' in page
    assert page.count("<caption") == 8
    assert "<script" not in page.split("<main", 1)[1]


def test_a_period_that_ends_before_it_starts_is_refused_with_the_input_kept(dashboard):
    response = dashboard(f"?von={YEAR}-05-01&bis={YEAR}-04-01")
    page = response.content.decode()

    assert response.status_code == 400
    assert "Das Ende des Zeitraums liegt vor seinem Beginn." in page
    assert f'value="{YEAR}-05-01"' in page
    assert f'value="{YEAR}-04-01"' in page
    assert response.context["sections"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?von=2026-13-45", "Enter a valid date."),
        ("?von=1999-12-31", "Please choose a date between 2000 and 2099."),
        ("?von=2000-01-01&bis=2020-01-01", "Please choose at most ten years (120 months)."),
    ],
)
def test_a_bad_period_gets_a_clear_error(client, dashboard, query, message, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = dashboard(query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_each_table_downloads_as_csv_with_the_same_numbers(client, dashboard, fachgruppe):
    meeting = HeldMeetingFactory(space=fachgruppe, title="=HYPERLINK(1)", starts_at=_at(4))
    ParticipantFactory(meeting=meeting, response=Participant.Response.ACCEPTED, attended=True)
    for section in dashboard().context["sections"]:
        response = client.get(f"/auswertung/{fachgruppe.slug}/{section.table.slug}.csv{PERIOD}")
        assert response.status_code == 200, section.slug
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        lines = response.content.decode("utf-8-sig").splitlines()
        assert len(lines) == len(section.table.rows) + 1, section.slug

    meetings = client.get(f"/auswertung/{fachgruppe.slug}/meetings.csv{PERIOD}").content.decode("utf-8-sig")
    assert meetings.splitlines()[1] == f"{YEAR}-04-10;'=HYPERLINK(1);Sitzung;1;1;0;0;1;100,0"


def test_an_unknown_table_is_not_found_and_a_bad_period_refused(client, fachgruppe, fachgruppe_coordinator):
    client.force_login(fachgruppe_coordinator)

    assert client.get(f"/auswertung/{fachgruppe.slug}/geheim.csv").status_code == 404
    assert client.get(f"/auswertung/{fachgruppe.slug}/members.csv?bis=kaputt").status_code == 400


def test_meetings_still_planned_do_not_count_as_held(dashboard, fachgruppe):
    MeetingFactory(space=fachgruppe, starts_at=_at(3))

    assert _section(dashboard(), "meetings").table.rows == []


def test_what_people_typed_is_escaped_in_the_tables(dashboard, fachgruppe):
    HeldMeetingFactory(space=fachgruppe, title="<b>Fett</b> & Co", starts_at=_at(4))

    page = dashboard().content.decode()

    assert "<td>&lt;b&gt;Fett&lt;/b&gt; &amp; Co</td>" in page
    assert "<b>Fett</b>" not in page


def test_the_months_read_in_the_language_of_each_request(client, dashboard, settings):
    german = dashboard().content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = dashboard().content.decode()

    assert f'<th scope="row">Januar {YEAR}</th>' in german
    assert f"<title>Dez {YEAR}, Beigetreten: 0</title>" in german
    assert f'<th scope="row">January {YEAR}</th>' in english
    assert f"<title>Dec {YEAR}, Joined: 0</title>" in english
    assert f'<th scope="row">Januar {YEAR}</th>' not in english


def test_the_attendance_over_all_meetings_counts_each_participant_once(dashboard, fachgruppe):
    april = HeldMeetingFactory(space=fachgruppe, starts_at=_at(4))
    for attended in [True, True, False]:
        ParticipantFactory(meeting=april, attended=attended)
    ParticipantFactory(meeting=HeldMeetingFactory(space=fachgruppe, starts_at=_at(5)), attended=True)
    HeldMeetingFactory(space=fachgruppe, starts_at=_at(6))  # nobody invited
    cancelled = HeldMeetingFactory(space=fachgruppe, starts_at=_at(7), status="cancelled")
    for _ in range(5):
        ParticipantFactory(meeting=cancelled, attended=True)

    facts = [fact.value for fact in _section(dashboard(), "meetings").facts]

    assert facts == [3, 3, 75.0]


def test_decisions_and_action_items_of_a_meeting_are_not_multiplied_by_its_agenda(dashboard, fachgruppe):
    meeting = HeldMeetingFactory(space=fachgruppe, starts_at=_at(8))
    decided = AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting)  # discussed, nothing decided
    Decision.objects.create(agenda_item=decided, text="Erstens.")
    Decision.objects.create(agenda_item=decided, text="Zweitens.", position=2)
    for _ in range(3):
        ActionItemFactory(meeting=meeting, due_date=timezone.localdate() + datetime.timedelta(days=9))

    section = _section(dashboard(), "decisions")

    assert _month_rows(section)[8] == [2, 3, 3, 0, 0, None]
