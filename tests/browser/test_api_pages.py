"""axe finds no serious or critical violation on the API's reference, the token page and the embeds."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from api import reference
from tests.browser.conftest import blocking_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(axe: Axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


@pytest.fixture(autouse=True)
def _reference_built():
    """The OpenAPI document is built once per process, which takes seconds on a busy machine."""
    reference.document()


@pytest.mark.parametrize("path", ["/api/", "/einbetten/projekte/", "/einbetten/informationen/"])
def test_public_api_pages_have_no_serious_accessibility_violations(page: Page, live_server, axe, path):
    response = page.goto(live_server.url + path)

    assert response.status == 200
    _assert_accessible(axe, page)


def test_the_token_page_shows_the_new_key_once_and_is_accessible(
    signed_in_page: Page, live_server, axe, user
):
    signed_in_page.goto(live_server.url + "/profile/api-zugaenge/")
    _assert_accessible(axe, signed_in_page)

    signed_in_page.get_by_label("Bezeichnung").fill("Website der Kammer")
    signed_in_page.get_by_role("button", name="Zugang anlegen").click()

    assert signed_in_page.get_by_label("Schlüssel").input_value().startswith("fhp_")
    _assert_accessible(axe, signed_in_page)
    signed_in_page.goto(live_server.url + "/profile/api-zugaenge/")
    expect(signed_in_page.get_by_label("Schlüssel")).to_have_count(0)
    expect(signed_in_page.get_by_role("button", name="„Website der Kammer“ widerrufen")).to_be_visible()
