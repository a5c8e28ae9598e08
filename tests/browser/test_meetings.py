"""Meeting pages in the browser: no serious accessibility finding; the agenda reorders without JavaScript."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from groups.models import Membership
from meetings import minutes, polls
from meetings.models import AgendaItem, Meeting
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory, with_totp
from tests.factories.groups import QuestionFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    MeetingFactory,
    ParticipantFactory,
    TentativeMeetingFactory,
)
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(axe: Axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def coordinator(transactional_db):
    fachgruppe, inner = well_known_spaces()
    person = with_totp(UserFactory(name="Karla Koordinatorin"))
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=person, role=Membership.Role.COORDINATOR)
    return person


@pytest.fixture
def meetings(coordinator, user):
    """A held meeting with agenda and published minutes, the next one, and a tentative one with a poll."""
    fachgruppe, _inner = well_known_spaces()
    Membership.objects.create(space=fachgruppe, user=user)
    held = MeetingFactory(
        space=fachgruppe, title="Sitzung der Fachgruppe: Ziele", starts_at=_at(-10, 15), ends_at=_at(-10, 17)
    )
    ParticipantFactory(meeting=held, user=user)
    AgendaItemFactory(meeting=held, title="Begrüßung", presenter=coordinator, duration_minutes=10)
    goals = AgendaItemFactory(
        meeting=held,
        title="Welche Ziele verfolgt die Fachgruppe?",
        presenter_name="Katrin Weiß (itb)",
        question=QuestionFactory(space=fachgruppe, title="Wie erreichen wir kleine Betriebe?"),
    )
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    minutes.minutes_edit(meeting=held, by=coordinator, introduction="Frau Koordinatorin begrüßt alle.")
    minutes.agenda_item_discussion_edit(agenda_item=goals, by=coordinator, discussion="Das Zwiebelmodell.")
    minutes.decision_add(agenda_item=goals, by=coordinator, text="Ein Konzept wird erarbeitet.")
    minutes.action_item_add(
        meeting=held, by=coordinator, title="Konzept schreiben", assignees=[user], due_date=_at(20, 12).date()
    )
    minutes.minutes_publish(meeting=held, by=coordinator)
    upcoming = MeetingFactory(
        space=fachgruppe, title="Folgesitzung", starts_at=_at(10, 15), ends_at=_at(10, 17)
    )
    tentative = TentativeMeetingFactory(space=fachgruppe, title="Fachgruppentreffen Frühjahr")
    polls.poll_open(
        meeting=tentative, by=coordinator, options=[(_at(30, 10), _at(30, 12)), (_at(37, 14), _at(37, 16))]
    )
    return {"held": held, "upcoming": upcoming, "tentative": tentative}


def _pages(meetings) -> dict[str, tuple[str, str]]:
    month = timezone.localtime(meetings["upcoming"].starts_at).strftime("%Y-%m")
    return {
        "list": ("/meetings/", "Folgesitzung"),
        "detail": (f"/meetings/{meetings['held'].pk}/", "Ein Konzept wird erarbeitet."),
        "month": (f"/meetings/calendar/?month={month}", "Folgesitzung"),
        "poll": (f"/meetings/{meetings['tentative'].pk}/poll/", "Antworten speichern"),
    }


@pytest.mark.parametrize("name", ["list", "detail", "month", "poll"])
def test_meeting_pages_have_no_serious_accessibility_violations(
    signed_in_page: Page, live_server, axe, meetings, name
):
    path, text = _pages(meetings)[name]

    response = signed_in_page.goto(live_server.url + path)

    assert response.status == 200
    assert response.url == live_server.url + path, "the session was not accepted"
    expect(signed_in_page.get_by_role("main").get_by_text(text).first).to_be_visible()
    _assert_accessible(axe, signed_in_page)


def test_meeting_page_shows_the_agenda_with_presenters_and_the_linked_question(
    signed_in_page: Page, live_server, meetings
):
    signed_in_page.goto(f"{live_server.url}/meetings/{meetings['held'].pk}/")

    agenda = signed_in_page.locator("#agenda")
    expect(agenda.get_by_text("(Karla Koordinatorin, 10 Minuten)")).to_be_visible()
    expect(agenda.get_by_text("(Katrin Weiß (itb))")).to_be_visible()
    expect(agenda.get_by_role("link", name="Wie erreichen wir kleine Betriebe?")).to_be_visible()
    expect(signed_in_page.locator("#protokoll").get_by_text("Konzept schreiben")).to_be_visible()


def _move(direction: str, title: str) -> re.Pattern:
    # The title is visually hidden text after the visible words; browsers may put a space before the colon.
    return re.compile(rf"^{direction}\s?: {title}$")


def _page_without_javascript(new_context, live_server, person) -> Page:
    client = Client()
    client.force_login(person)
    context = new_context(java_script_enabled=False)
    context.set_default_timeout(5_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_without_javascript_a_coordinator_reorders_the_agenda(new_context, live_server, coordinator):
    fachgruppe, _inner = well_known_spaces()
    meeting = MeetingFactory(space=fachgruppe, title="Sitzung mit Tagesordnung")
    for title in ("Begrüßung", "Bericht", "Termine"):
        AgendaItemFactory(meeting=meeting, title=title)
    page = _page_without_javascript(new_context, live_server, coordinator)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    agenda_titles = page.locator("#agenda ol > li > strong")
    expect(agenda_titles).to_have_text(["Begrüßung", "Bericht", "Termine"])

    page.get_by_role("button", name=_move("Nach oben", "Termine")).click()

    expect(page.get_by_text("Die Reihenfolge ist geändert.")).to_be_visible()
    expect(agenda_titles).to_have_text(["Begrüßung", "Termine", "Bericht"])

    page.get_by_role("button", name=_move("Nach unten", "Begrüßung")).click()

    expect(agenda_titles).to_have_text(["Termine", "Begrüßung", "Bericht"])
    assert list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title")
    ) == [(1, "Termine"), (2, "Begrüßung"), (3, "Bericht")]
    assert not page.get_by_role("button", name=_move("Nach oben", "Termine")).count()
