"""The pages load without a single Content Security Policy violation or console error."""

import pytest
from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page; Playwright injects it outside the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_page_loads_without_csp_violations_or_console_errors(page: Page, live_server, path):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")

    assert "script-src" in response.headers["content-security-policy"]
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
