"""A new partner signs up, asks to join and is approved: the Fachgruppe opens, the inner circle stays shut."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from groups.models import Membership
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
from tests.browser.conftest import PASSWORD_LABEL, SCREENSHOTS
from tests.factories import TEST_PASSWORD, UserFactory, with_totp
from tests.factories.groups import ThreadFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spaces_with_content(transactional_db):
    fachgruppe, inner = well_known_spaces()
    coordinator = with_totp(UserFactory(name="Karla Koordinatorin"))
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=coordinator, role=Membership.Role.COORDINATOR)
    ThreadFactory(space=fachgruppe, title="Tandem-Beratung in Tischlereien")
    ThreadFactory(space=inner, title="Vertrauliche Zahlen der Kammern")
    return coordinator


def _signed_in_page(browser: Browser, live_server, user) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="de-DE")
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


def test_new_partner_joins_the_fachgruppe_and_sees_nothing_of_the_inner_circle(
    page: Page, browser: Browser, live_server, spaces_with_content, account_mails
):
    base = live_server.url
    page.goto(f"{base}/accounts/signup/")
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Vor- und Nachname")).fill("Paula Neumann")
    main.get_by_label(re.compile(r"^Organisation")).fill("Handwerkskammer Beispielstadt")
    main.get_by_label(re.compile(r"^E-Mail")).fill("paula.neumann@example.org")
    main.get_by_label(PASSWORD_LABEL).fill(TEST_PASSWORD)
    main.get_by_label(re.compile(r"^Passwort \(")).fill(TEST_PASSWORD)
    main.get_by_role("button", name=re.compile(r"^Registrier")).click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", account_mails()[-1].body, re.MULTILINE).group(1)
    page.get_by_role("main").get_by_role("textbox").fill(code)
    page.get_by_role("main").get_by_role("button", name=re.compile(r"^Bestätig")).click()

    page.goto(f"{base}/spaces/{FACHGRUPPE_SLUG}/")
    page.get_by_role("link", name="Zugang anfragen").click()
    page.get_by_label(re.compile(r"^Ihre Nachricht")).fill("Ich berate Betriebe zur Ausbildung.")
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Ihre Anfrage wurde gesendet.")).to_be_visible()

    coordinator_page = _signed_in_page(browser, live_server, spaces_with_content)
    coordinator_page.goto(f"{base}/spaces/{FACHGRUPPE_SLUG}/requests/")
    expect(coordinator_page.get_by_text("Ich berate Betriebe zur Ausbildung.")).to_be_visible()
    coordinator_page.get_by_role("link", name="Entscheiden").click()
    coordinator_page.get_by_label("Aufnehmen").check()
    coordinator_page.get_by_role("button", name="Entscheidung speichern").click()
    expect(coordinator_page.get_by_text("Paula Neumann ist jetzt Mitglied.")).to_be_visible()

    page.goto(f"{base}/spaces/{FACHGRUPPE_SLUG}/")
    expect(page.get_by_role("link", name="Tandem-Beratung in Tischlereien")).to_be_visible()
    page.goto(f"{base}/spaces/{INNER_SLUG}/")
    expect(page.get_by_role("heading", name="Zugang")).to_be_visible()
    expect(page.get_by_text("Vertrauliche Zahlen der Kammern")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "inner-circle-stub-for-a-new-partner.png", full_page=True)
    page.goto(f"{base}/spaces/{INNER_SLUG}/threads/")
    expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
