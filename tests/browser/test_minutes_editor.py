"""The minutes editor in the browser: one save keeps three sections, autosave, a question before leaving."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from groups.models import Membership
from meetings.models import AgendaItem, Minutes
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory, with_totp
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, MeetingFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient(context):
    # Autosave waits 1.5 s after the last key and then makes a round trip of its own; on a
    # loaded CI machine the 5 s of tests/browser/conftest.py leave too little margin for that.
    context.set_default_timeout(20_000)


@pytest.fixture
def user(transactional_db):
    fachgruppe, inner = well_known_spaces()
    person = with_totp(UserFactory(name="Karla Koordinatorin"))
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=person, role=Membership.Role.COORDINATOR)
    return person


@pytest.fixture
def meeting(user):
    fachgruppe, _inner = well_known_spaces()
    held = HeldMeetingFactory(space=fachgruppe, title="Sitzung der Fachgruppe: Ziele")
    for title in ("Begrüßung", "Welche Ziele verfolgt die Fachgruppe?", "Weiteres Vorgehen"):
        AgendaItemFactory(meeting=held, title=title)
    return held


def _items(meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.order_by("position"))


def test_typing_into_three_sections_and_pressing_one_save_keeps_all_three(
    signed_in_page: Page, live_server, meeting
):
    page = signed_in_page
    first, second, _third = _items(meeting)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")

    page.locator("#id_introduction").fill("Die Koordination begrüßt die Runde.")
    page.locator(f"#id_item-{first.pk}-discussion").fill("Kurze Vorstellungsrunde.")
    page.locator(f"#id_item-{second.pk}-discussion").fill("Das Zwiebelmodell.")
    # The button of one part, far below the others.
    page.get_by_role("button", name="Aufgabe hinzufügen").click()

    expect(page.get_by_text("Das Protokoll wurde gespeichert.")).to_be_visible()
    page.reload()
    expect(page.locator("#id_introduction")).to_have_value("Die Koordination begrüßt die Runde.")
    expect(page.locator(f"#id_item-{first.pk}-discussion")).to_have_value("Kurze Vorstellungsrunde.")
    expect(page.locator(f"#id_item-{second.pk}-discussion")).to_have_value("Das Zwiebelmodell.")


def test_a_section_is_saved_while_typing_and_leaving_afterwards_asks_nothing(
    signed_in_page: Page, live_server, meeting
):
    page = signed_in_page
    _first, second, _third = _items(meeting)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")

    page.locator(f"#id_item-{second.pk}-discussion").press_sequentially("Beim Tippen gespeichert.")

    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Entwurf gespeichert um \d\d:\d\d$"))
    second.refresh_from_db()
    assert second.discussion == "Beim Tippen gespeichert."
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Zurück zur Sitzung").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/#protokoll$"))
    assert dialogs == []


def _autosaved(response) -> bool:
    return response.url.endswith("/minutes/autosave/")


def test_a_new_decision_a_new_task_and_the_next_date_are_saved_while_typing(
    signed_in_page: Page, live_server, meeting
):
    page = signed_in_page
    fachgruppe, _inner = well_known_spaces()
    later = MeetingFactory(
        space=fachgruppe, title="Folgesitzung", starts_at=meeting.starts_at + datetime.timedelta(days=60)
    )
    first = _items(meeting)[0]
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
    decision_field = page.locator(f"#id_decision-new-{first.pk}-text")

    with page.expect_response(_autosaved) as answer:
        decision_field.press_sequentially("Die Runde trifft sich vierteljährlich.")
    assert 'data-autosave-state="saved"' in answer.value.text()
    with page.expect_response(_autosaved) as answer:
        page.locator("#id_action-new-title").press_sequentially("Konzept schreiben")
        page.get_by_role("checkbox", name="Karla Koordinatorin").check()
    assert 'data-autosave-state="saved"' in answer.value.text()
    with page.expect_response(_autosaved) as answer:
        page.locator("#id_next-next_meeting").select_option(str(later.pk))
    assert 'data-autosave-state="saved"' in answer.value.text()

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.reload()
    assert dialogs == []  # everything was saved: leaving asked nothing
    decision = first.decisions.get()
    assert decision.text == "Die Runde trifft sich vierteljährlich."
    expect(page.locator(f"#id_decision-{decision.pk}-text")).to_have_value(decision.text)
    expect(page.locator(f"#id_decision-new-{first.pk}-text")).to_have_value("")
    action_item = meeting.action_items.get()
    assert action_item.title == "Konzept schreiben"
    assert [person.name for person in action_item.assignees.all()] == ["Karla Koordinatorin"]
    expect(page.get_by_text("Karla Koordinatorin: Konzept schreiben")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.next_meeting == later
    expect(page.locator("#id_next-next_meeting")).to_have_value(str(later.pk))


def test_leaving_with_unsaved_text_asks_first(signed_in_page: Page, live_server, meeting):
    page = signed_in_page
    first = _items(meeting)[0]
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))

    # Autosave waits 1.5 s after the last key: leaving at once leaves the new decision unsaved.
    page.locator(f"#id_decision-new-{first.pk}-text").press_sequentially("Ein Konzept wird erarbeitet.")
    page.get_by_role("link", name="Zurück zur Sitzung").click()

    for _ in range(100):  # the question comes within moments; without it the page has gone
        if dialogs:
            break
        page.wait_for_timeout(50)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/meetings/{meeting.pk}/minutes/")
    expect(page.locator(f"#id_decision-new-{first.pk}-text")).to_have_value("Ein Konzept wird erarbeitet.")


def test_without_javascript_one_save_keeps_every_section(new_context, live_server, user, meeting):
    client = Client()
    client.force_login(user)
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
    page = context.new_page()
    first, _second, third = _items(meeting)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")

    page.locator("#id_introduction").fill("Ohne JavaScript getippt.")
    page.locator(f"#id_item-{third.pk}-discussion").fill("Termine folgen.")
    page.locator(f"#id_decision-new-{first.pk}-text").fill("Die Runde trifft sich vierteljährlich.")
    page.get_by_role("button", name="Speichern", exact=True).click()

    expect(page.get_by_text("Das Protokoll wurde gespeichert.")).to_be_visible()
    assert Minutes.objects.get(meeting=meeting).introduction == "Ohne JavaScript getippt."
    third.refresh_from_db()
    assert third.discussion == "Termine folgen."
    assert list(first.decisions.values_list("text", flat=True)) == ["Die Runde trifft sich vierteljährlich."]


def test_the_editor_has_no_serious_accessibility_violations(signed_in_page: Page, live_server, axe, meeting):
    signed_in_page.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")

    violations = blocking_violations(axe, signed_in_page)
    assert not violations, describe_violations(violations)
