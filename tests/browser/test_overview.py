"""The overview ("Mein Überblick") in a browser: signing in lands there, one click answers an
invitation without JavaScript on a phone, and at 390 px the page fits and axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from groups.models import Membership
from meetings.models import Participant
from tests.browser.conftest import blocking_violations, describe_violations, sign_in_through_form
from tests.factories.meetings import MeetingFactory, ParticipantFactory
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_signs_in_to_the_overview_and_accepts_an_invitation_with_one_click_on_a_phone(
    new_context, live_server, user
):
    fachgruppe, _ = well_known_spaces()
    Membership.objects.create(space=fachgruppe, user=user)
    meeting = MeetingFactory(space=fachgruppe, title="Fachgruppentreffen im Herbst")
    ParticipantFactory(meeting=meeting, user=user)
    page = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(5_000)

    sign_in_through_form(page, live_server.url, email=user.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Überblick")
    meetings = page.get_by_role("region", name="Meine nächsten Termine")
    expect(meetings.get_by_text("Ihre Rückmeldung: Noch keine")).to_be_visible()
    meetings.get_by_role("button", name=re.compile(r"^Zusagen")).click()

    expect(page.get_by_text("Danke, Ihre Rückmeldung ist gespeichert.")).to_be_visible()
    expect(meetings.get_by_text("Ihre Rückmeldung: Zugesagt")).to_be_visible()
    assert page.url == f"{live_server.url}/mein-ueberblick/"
    assert Participant.objects.get(meeting=meeting, user=user).response == Participant.Response.ACCEPTED


def test_the_overview_fits_a_phone_and_has_no_serious_accessibility_violations(
    signed_in_page, live_server, user, axe
):
    fachgruppe, _ = well_known_spaces()
    Membership.objects.create(space=fachgruppe, user=user)
    ParticipantFactory(meeting=MeetingFactory(space=fachgruppe), user=user)
    signed_in_page.set_viewport_size({"width": 390, "height": 844})

    response = signed_in_page.goto(f"{live_server.url}/mein-ueberblick/")

    assert response.url == f"{live_server.url}/mein-ueberblick/"
    assert signed_in_page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = blocking_violations(axe, signed_in_page)
    assert not violations, describe_violations(violations)
