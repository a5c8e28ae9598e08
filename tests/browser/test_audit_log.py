"""A coordinator reads the audit log in the browser: filters, the table, no serious axe finding."""

import pytest
from playwright.sync_api import Page, expect

from groups.models import Membership
from portal.audit import services as audit
from portal.audit.actions import Action
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory, with_totp
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def user(transactional_db):
    """The signed-in person of `signed_in_page`: a coordinator of the Fachgruppe, with TOTP."""
    fachgruppe, _inner = well_known_spaces()
    coordinator = with_totp(UserFactory(name="Greta Hobelmann"))
    Membership.objects.create(space=fachgruppe, user=coordinator, role=Membership.Role.COORDINATOR)
    member = UserFactory(name="Anna Antrag")
    audit.record(
        Action.ROLE_CHANGED,
        actor=coordinator,
        person=member,
        space=fachgruppe,
        before={"role": "member"},
        after={"role": "coordinator"},
    )
    return coordinator


def test_the_audit_log_is_filtered_by_person_and_has_no_serious_accessibility_violations(
    signed_in_page: Page, live_server, axe
):
    response = signed_in_page.goto(live_server.url + "/aktivitaetsprotokoll/")
    assert response.status == 200
    expect(signed_in_page.get_by_role("heading", level=1)).to_have_text("Aktivitätsprotokoll")
    expect(signed_in_page.get_by_role("table")).to_contain_text("Anna Antrag")

    signed_in_page.get_by_label("Person").fill("niemand")
    signed_in_page.get_by_role("button", name="Filtern").click()
    expect(signed_in_page.get_by_text("Keine Einträge.")).to_be_visible()

    violations = blocking_violations(axe, signed_in_page)
    assert not violations, describe_violations(violations)
