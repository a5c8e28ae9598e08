"""Meine Daten and Konto löschen in the browser: the password again, then the pages, with axe on each."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from groups.models import User
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(axe: Axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def _confirm_password(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_role("main").get_by_label(re.compile("Passwort")).fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Bestätigen")).click()


def test_my_data_page_asks_for_the_password_before_it_starts(signed_in_page: Page, live_server, axe):
    page = signed_in_page
    page.goto(live_server.url + "/konto/daten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Daten")
    assert_accessible(axe, page)

    page.get_by_role("button", name="Meine Daten herunterladen").click()
    _confirm_password(page)

    expect(page).to_have_url(live_server.url + "/konto/daten/")
    expect(page.get_by_text("Wartet auf Bearbeitung")).to_be_visible()
    assert_accessible(axe, page)


def test_deleting_the_account_after_the_password_and_the_confirmation(
    signed_in_page: Page, live_server, axe, user
):
    page = signed_in_page
    page.goto(live_server.url + "/konto/loeschen/")
    _confirm_password(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Konto löschen")
    expect(page.get_by_role("heading", name="Was bleibt")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Konto endgültig löschen").click()
    expect(page.get_by_text("Bitte bestätigen Sie, dass das Konto gelöscht werden soll.")).to_be_visible()
    page.get_by_label(re.compile("endgültig löschen")).check()
    page.get_by_role("button", name="Konto endgültig löschen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Konto gelöscht")
    assert_accessible(axe, page)
    assert User.objects.get(pk=user.pk).erased_at is not None
