"""The portal needs no JavaScript: signing in and switching the language are plain forms."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_javascript_a_member_signs_in_and_switches_to_english(new_context, live_server, user):
    page = new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(5_000)

    sign_in_through_form(page, live_server.url, email=user.email)
    expect(page.get_by_role("banner").get_by_role("link", name="Greta Hobelmann")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.get_by_role("banner").get_by_label("Sprache").select_option("en")
    page.get_by_role("banner").get_by_role("button", name="Wechseln").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server.url + "/mein-ueberblick/"
    expect(page.get_by_role("banner").get_by_role("link", name="Greta Hobelmann")).to_be_visible()
