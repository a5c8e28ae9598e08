"""The showcase catalogue in a browser: accessible, filters swap the results with htmx under the CSP,
and the same form works without JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import blocking_violations, describe_violations
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.projects.showcase import showcased

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_projects(coordinator):
    showcased(coordinator, title="Backstube in Bayern", region="BY", accepted_days_ago=2)
    showcased(coordinator, title="Werkstatt am Rhein", region="NW", accepted_days_ago=1)


def results(page: Page):
    return page.locator("#catalogue-results").get_by_role("heading", level=3)


@pytest.mark.parametrize("query", ["", "?region=HB", "?gewerk=gibt-es-nicht"])
def test_the_catalogue_has_no_serious_accessibility_violations(
    page: Page, live_server, axe: Axe, two_projects, query
):
    response = page.goto(f"{live_server.url}/projects/{query}")

    assert response.status == 200
    violations = blocking_violations(axe, page)
    assert not violations, describe_violations(violations)


def test_a_filter_swaps_the_results_in_place_and_keeps_the_address(page: Page, live_server, two_projects):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/projects/")
    expect(results(page)).to_have_count(2)
    page.evaluate("window.__notReloaded = true")

    page.get_by_label("Region").select_option("BY")

    expect(results(page)).to_have_text(["Backstube in Bayern"])
    expect(page.locator("#catalogue-status")).to_have_text("1 Projekt gefunden")
    assert re.search(r"[?&]region=BY", page.url)
    assert page.evaluate("window.__notReloaded") is True
    assert page.evaluate("window.__cspViolations") == []
    assert console == []


def test_without_javascript_the_form_filters_too(new_context, live_server, two_projects):
    page = new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(5_000)
    page.goto(f"{live_server.url}/projects/")

    page.get_by_label("Region").select_option("NW")
    page.get_by_role("button", name="Anwenden").click()

    expect(results(page)).to_have_text(["Werkstatt am Rhein"])
    assert "region=NW" in page.url
