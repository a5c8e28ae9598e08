import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, sign_in_through_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_verified_member_signs_in_to_the_overview_and_is_one_click_from_the_start_page(
    page: Page, live_server, user
):
    sign_in_through_form(page, live_server.url, email=user.email)

    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Greta Hobelmann")).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Überblick")
    page.get_by_role("main").get_by_role("link", name="Zur öffentlichen Startseite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachgruppe Handwerk")
    onion = page.get_by_role("img", name="Das Zwiebelmodell der Fachgruppe Handwerk")
    expect(onion).to_be_visible()
    for ring in ("Öffentlichkeit", "Fachgruppe Handwerk", "Fachkräftezentren Handwerk"):
        expect(page.get_by_role("heading", level=3, name=ring)).to_be_visible()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot = SCREENSHOTS / "start-page-signed-in.png"
    page.screenshot(path=screenshot, full_page=True)
    assert screenshot.stat().st_size > 10_000
