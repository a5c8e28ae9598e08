"""Writing help in the browser: the toolbar, the htmx preview and "@" completion by keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from groups.models import Membership, Thread
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def user(transactional_db):
    fachgruppe, _inner = well_known_spaces()
    person = UserFactory(name="Greta Hobelmann")
    Membership.objects.create(space=fachgruppe, user=person)
    return person


@pytest.fixture
def colleagues(user):
    fachgruppe, inner = well_known_spaces()
    jonas = UserFactory(name="Jonas Feldmann", organisation_name="Tischlerinnung Nordland")
    Membership.objects.create(space=fachgruppe, user=jonas)
    johanna = UserFactory(name="Johanna Innen")
    Membership.objects.create(space=fachgruppe, user=johanna)
    Membership.objects.create(space=inner, user=johanna)
    UserFactory(name="Jonathan Außen")  # signed up, in no space: never suggested
    return jonas, johanna


def _new_thread(page: Page, base_url: str) -> None:
    fachgruppe, _inner = well_known_spaces()
    page.goto(f"{base_url}/spaces/{fachgruppe.slug}/threads/new/")


def test_the_toolbar_formats_the_selected_text(signed_in_page: Page, live_server):
    page = signed_in_page
    _new_thread(page, live_server.url)
    body = page.get_by_label("Beitrag")

    body.fill("wichtig")
    body.select_text()
    page.get_by_role("button", name="Fett").click()
    expect(body).to_have_value("**wichtig**")
    body.press("End")
    body.press("Enter")
    page.get_by_role("button", name="Liste").click()
    body.press_sequentially("Punkt")
    expect(body).to_have_value("**wichtig**\n- Punkt")
    body.press("Control+a")
    body.press("Control+i")
    expect(body).to_have_value("***wichtig**\n- Punkt*")


def test_the_preview_shows_the_rendered_text_without_leaving_the_page(signed_in_page: Page, live_server):
    page = signed_in_page
    _new_thread(page, live_server.url)
    page.get_by_label("Titel").fill("Azubis gewinnen")
    page.get_by_label("Beitrag").fill("## Ideen\n\n- **Praktika** <script>document.title='x'</script>")
    url = page.url

    page.get_by_role("button", name="Vorschau").click()

    preview = page.locator("#id_body_preview")
    expect(preview.get_by_role("heading", name="Ideen")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Praktika")
    assert page.url == url
    assert page.title() != "x"
    expect(page.get_by_label("Titel")).to_have_value("Azubis gewinnen")
    assert not Thread.objects.exists()


def test_enter_in_the_title_sends_the_thread_not_the_preview(signed_in_page: Page, live_server):
    page = signed_in_page
    _new_thread(page, live_server.url)
    page.get_by_label("Beitrag").fill("Wer hat Erfahrung mit Praktika?")

    page.get_by_label("Titel").fill("Azubis gewinnen")
    page.get_by_label("Titel").press("Enter")

    page.wait_for_url(re.compile(r"/threads/\d+/$"))
    assert Thread.objects.get().title == "Azubis gewinnen"


def test_mention_completion_by_keyboard_offers_only_the_ring(signed_in_page: Page, live_server, colleagues):
    page = signed_in_page
    _new_thread(page, live_server.url)
    body = page.get_by_label("Beitrag")

    body.press_sequentially("Hallo @Jo")

    listbox = page.get_by_role("listbox", name="Personen zum Erwähnen")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(listbox.get_by_role("option").first).to_contain_text("Johanna Innen")
    expect(listbox).not_to_contain_text("Jonathan")
    expect(body).to_have_attribute("aria-activedescendant", "id_body_mentions-0")
    body.press("ArrowDown")
    expect(body).to_have_attribute("aria-activedescendant", "id_body_mentions-1")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Jonas Feldmann")
    body.press("Enter")

    expect(body).to_have_value("Hallo @Jonas Feldmann ")
    expect(listbox).to_be_hidden()
    body.press_sequentially("und @[Joh")
    expect(listbox.get_by_role("option")).to_have_count(1)
    body.press("Tab")
    expect(body).to_have_value("Hallo @Jonas Feldmann und @[Johanna Innen] ")
    body.press_sequentially("@Jo")
    expect(listbox).to_be_visible()
    body.press("Escape")
    expect(listbox).to_be_hidden()
    expect(body).to_have_value("Hallo @Jonas Feldmann und @[Johanna Innen] @Jo")


def test_the_writing_help_has_no_serious_accessibility_violations(
    signed_in_page: Page, live_server, axe, colleagues
):
    page = signed_in_page
    _new_thread(page, live_server.url)
    page.get_by_label("Beitrag").press_sequentially("@Jo")
    expect(page.get_by_role("listbox")).to_be_visible()

    violations = blocking_violations(axe, page)
    assert not violations, describe_violations(violations)
