"""Sharing a thread in the browser: the link leads to a confirmation that names ring and head count first."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from groups.models import Membership, Thread
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory, with_totp
from tests.factories.groups import ThreadFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page: Page, live_server, person) -> Page:
    client = Client()
    client.force_login(person)
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


def test_a_coordinator_shares_a_thread_only_after_reading_who_will_see_it(page: Page, live_server, axe: Axe):
    fachgruppe, inner = well_known_spaces()
    coordinator = with_totp(UserFactory(name="Karla Koordinatorin"))
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=coordinator, role=Membership.Role.COORDINATOR)
    for _ in range(3):
        Membership.objects.create(space=fachgruppe, user=UserFactory())
    thread = ThreadFactory(
        space=inner, title="Ergebnis der Kammerrunde", opening_post="Das Ergebnis für die Fachgruppe."
    )
    _signed_in(page, live_server, coordinator).goto(live_server.url + thread.get_absolute_url())
    violations = blocking_violations(axe, page)
    assert not violations, describe_violations(violations)

    page.get_by_role("link", name="Mit Fachgruppe Handwerk teilen …").click()

    expect(page.get_by_role("heading", name="Mit Fachgruppe Handwerk teilen?")).to_be_visible()
    expect(page.get_by_text("3 Personen")).to_be_visible()
    expect(page.get_by_text("Das Ergebnis für die Fachgruppe.")).to_be_visible()
    violations = blocking_violations(axe, page)
    assert not violations, describe_violations(violations)
    assert Thread.objects.get(pk=thread.pk).audience == inner

    page.get_by_role("button", name="Ja, mit Fachgruppe Handwerk teilen").click()

    expect(page.get_by_text("Die Diskussion ist jetzt für einen weiteren Kreis sichtbar.")).to_be_visible()
    expect(page.get_by_text("Geteilt mit: Fachgruppe Handwerk").first).to_be_visible()
    assert Thread.objects.get(pk=thread.pk).audience == fachgruppe
