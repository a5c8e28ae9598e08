"""What the browser tests share: signed-in pages, axe and a readable report of its findings."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from tests.factories import TEST_PASSWORD, UserFactory

SCREENSHOTS = Path(__file__).parent / "screenshots"

# Labels may carry a required marker ("Passwort *"); the password label must not match its repetition.
EMAIL_LABEL = re.compile(r"^E-Mail")
PASSWORD_LABEL = re.compile(r"^Passwort(?! \()")

# WCAG failures axe rates as blocking; "moderate" and "minor" are mostly best-practice advice.
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _fail_fast(context):
    # Every page of the portal answers in well under a second; Playwright's 30 s default
    # would only make a broken page slow to report.
    context.set_default_timeout(5_000)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def user(transactional_db):
    return UserFactory(name="Greta Hobelmann")


def sign_in_through_form(page: Page, base_url: str, *, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    form = page.get_by_role("main")
    form.get_by_label(EMAIL_LABEL).fill(email)
    form.get_by_label(PASSWORD_LABEL).fill(password)
    # allauth's German catalogue says "Anmeldung" on the button, the portal says "Anmelden".
    form.get_by_role("button", name=re.compile(r"^Anmeld")).click()
    page.wait_for_url(f"{base_url}/mein-ueberblick/")


@pytest.fixture
def signed_in_page(page: Page, live_server, user) -> Page:
    """A page whose browser carries the session of `user`, without the cost of the login form."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def blocking_violations(axe: Axe, page: Page) -> list[dict]:
    results = axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n      ")
                lines.append(f"      {summary}")
    return "\n".join(lines)
