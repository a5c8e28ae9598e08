"""axe finds no serious or critical WCAG violation on the portal's own and its account pages."""

import re
from collections.abc import Callable
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import EMAIL_LABEL, PASSWORD_LABEL, blocking_violations, describe_violations
from tests.public_pages import PUBLIC_PATHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(axe: Axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def assert_all_accessible(
    axe: Axe, page: Page, base_url: str, paths: list[str], *, check: Callable[[str], None] | None = None
) -> None:
    """Every page in turn in one browser page (`check` looks at each first), and the findings of all
    of them in one report."""
    findings = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, f"{path}: {response.status}"
        assert unquote(response.url) == base_url + path, f"{path} led to {response.url}"
        if check is not None:
            check(path)
        if violations := blocking_violations(axe, page):
            findings.append(f"{path}\n{describe_violations(violations)}")
    assert not findings, "\n\n".join(findings)


def test_the_public_pages_have_no_serious_accessibility_violations(page: Page, live_server, axe):
    assert_all_accessible(axe, page, live_server.url, PUBLIC_PATHS)


def test_not_found_page_has_no_serious_accessibility_violations(page: Page, live_server, axe):
    response = page.goto(live_server.url + "/diese-seite-gibt-es-nicht/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    assert_accessible(axe, page)


def test_the_signed_in_pages_have_no_serious_accessibility_violations(signed_in_page: Page, live_server, axe):
    # A page that sends the person elsewhere (the session not accepted) fails on its address.
    paths = ["/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"]
    assert_all_accessible(axe, signed_in_page, live_server.url, paths)


def test_email_verification_code_page_has_no_serious_accessibility_violations(
    page: Page, live_server, axe, transactional_db
):
    page.goto(live_server.url + "/accounts/signup/")
    form = page.get_by_role("main")
    form.get_by_label(EMAIL_LABEL).fill("neu@example.org")
    form.get_by_label("Vor- und Nachname").fill("Jonas Zimmermann")
    form.get_by_label("Organisation").fill("Handwerkskammer Musterstadt")
    form.get_by_label(PASSWORD_LABEL).fill("Hobelbank-Sonne-2026")
    form.get_by_label(re.compile(r"^Passwort \(Wiederholung\)")).fill("Hobelbank-Sonne-2026")
    form.get_by_role("button", name="Registrieren").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))
    assert_accessible(axe, page)


@pytest.fixture
def coordinating_page(signed_in_page: Page, user):
    """The signed-in browser of a coordinator of the Fachgruppe (with TOTP), with a year of figures."""
    import datetime

    from django.utils import timezone

    from groups.models import Membership
    from meetings.models import ActionItem, Decision, Participant
    from tests.factories import with_totp
    from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, ParticipantFactory
    from tests.roles import well_known_spaces

    fachgruppe = well_known_spaces()[0]
    with_totp(user)
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    for months in (2, 5, 8):
        starts = timezone.now() - datetime.timedelta(days=30 * months)
        meeting = HeldMeetingFactory(
            space=fachgruppe, starts_at=starts, title=f"Sitzung vor {months} Monaten"
        )
        ParticipantFactory(meeting=meeting, response=Participant.Response.ACCEPTED, attended=True)
        ParticipantFactory(meeting=meeting, response=Participant.Response.EXCUSED)
        Decision.objects.create(agenda_item=AgendaItemFactory(meeting=meeting), text="Beschlossen.")
        ActionItem.objects.create(
            meeting=meeting, title="Aufgabe", status=ActionItem.Status.DONE, done_at=starts
        )
    signed_in_page.fachgruppe = fachgruppe
    # The dashboard's thirty aggregates take longer than a plain page on a busy machine.
    signed_in_page.set_default_timeout(30_000)
    return signed_in_page


def test_the_coordinator_dashboard_has_no_serious_accessibility_violations(
    coordinating_page: Page, live_server, axe
):
    path = f"/auswertung/{coordinating_page.fachgruppe.slug}/"
    response = coordinating_page.goto(live_server.url + path)

    assert response.status == 200
    expect(
        coordinating_page.get_by_role(
            "img",
            name=re.compile("^(Antworten und Anwesenheit je Sitzung|Answers and attendance per meeting)$"),
        )
    ).to_be_visible()
    assert_accessible(axe, coordinating_page)


def test_the_activity_report_page_has_no_serious_accessibility_violations(
    coordinating_page: Page, live_server, axe
):
    from django.utils import timezone

    path = f"/auswertung/{coordinating_page.fachgruppe.slug}/taetigkeitsbericht/{timezone.localdate().year}/"
    response = coordinating_page.goto(live_server.url + path)

    assert response.status == 200
    assert_accessible(axe, coordinating_page)


def test_the_search_page_has_no_serious_accessibility_violations(
    signed_in_page: Page, live_server, axe, user
):
    """With hits, snippets, both facets and the pagination; with the error of a too short query; with none."""
    from groups.models import Membership
    from tests.factories.groups import ThreadFactory
    from tests.factories.meetings import AgendaItemFactory, MeetingFactory
    from tests.roles import well_known_spaces

    fachgruppe, inner = well_known_spaces()
    Membership.objects.create(space=fachgruppe, user=user)
    Membership.objects.create(space=inner, user=user)
    for n in range(23):
        ThreadFactory(
            space=fachgruppe if n % 2 else inner, title=f"Praxistag {n}", opening_post="Zinngießerei"
        )
    AgendaItemFactory(meeting=MeetingFactory(space=fachgruppe), title="Besuch der Zinngießerei")
    paths = [
        "/suche/",
        "/suche/?q=Zinngießerei",
        "/suche/?q=Zinngießerei&art=diskussionen&seite=2",
        "/suche/?q=a",
        "/suche/?q=gibtesnicht",
    ]

    def shows_the_hits(path: str) -> None:
        if "Zinn" in path:
            expect(signed_in_page.locator("mark").first).to_have_text("Zinngießerei")

    assert_all_accessible(axe, signed_in_page, live_server.url, paths, check=shows_the_hits)
