"""The answer from the invitation mail in a browser: no account, no JavaScript, nothing saved by the link."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings import rsvp
from meetings.models import Participant
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories.meetings import MeetingFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_answers_from_the_mail_without_an_account_or_javascript(
    browser, live_server, page: Page, axe: Axe
):
    fachgruppe, _inner = well_known_spaces()
    meeting = MeetingFactory(
        space=fachgruppe,
        title="Sitzung der Fachgruppe: Ziele",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=2),
    )
    guest = Participant.objects.create(meeting=meeting, name="Katrin Weiß", email="weiss@example.org")
    link = rsvp.links(guest)[Participant.Response.EXCUSED].replace(settings.SITE_URL, live_server.url)

    page.goto(link)
    violations = blocking_violations(axe, page)
    assert not violations, describe_violations(violations)

    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(link)
    expect(plain.get_by_label("Ich bin entschuldigt")).to_be_checked()
    guest.refresh_from_db()
    assert guest.response == Participant.Response.INVITED  # opening the link saved nothing
    plain.get_by_label("Anmerkung").fill("Terminüberschneidung")
    plain.get_by_role("button", name="Rückmeldung senden").click()

    expect(plain.get_by_role("heading", name="Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    guest.refresh_from_db()
    assert (guest.response, guest.note) == (Participant.Response.EXCUSED, "Terminüberschneidung")
    context.close()
