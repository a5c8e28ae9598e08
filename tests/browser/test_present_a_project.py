"""A partner presents a model project in the browser; two coordinators review it, one accepts it,
and the public finds it in the showcase and its feed. axe checks every page on the way."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from groups.models import Membership, Organisation
from tests.browser.conftest import blocking_violations, describe_violations
from tests.factories import UserFactory, with_totp
from tests.factories.groups import OrganisationFactory
from tests.factories.projects import TradeFactory
from tests.projects.files import jpeg_with_location
from tests.roles import well_known_spaces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fachgruppe, _inner = well_known_spaces()
    partner = UserFactory(name="Paula Neumann")
    Membership.objects.create(space=fachgruppe, user=partner)
    coordinators = [
        with_totp(UserFactory(name="Karla Koordinatorin")),
        with_totp(UserFactory(name="Bernd Prüfer")),
    ]
    for coordinator in coordinators:
        Membership.objects.create(space=fachgruppe, user=coordinator, role=Membership.Role.COORDINATOR)
    OrganisationFactory(name="Handwerkskammer Beispielstadt", kind=Organisation.Kind.CHAMBER)
    TradeFactory(name="Tischlerhandwerk", slug="tischlerhandwerk")
    return partner, coordinators


def _page_of(browser: Browser, live_server, user) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(5_000)
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


def _accessible(axe, page: Page) -> None:
    violations = blocking_violations(axe, page)
    assert not violations, f"{page.url}\n{describe_violations(violations)}"


def _review(page: Page, *, transferability: str, added_value: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Bewertung speichern"))
    form.get_by_role("group", name=re.compile("^Übertragbarkeit")).get_by_label(transferability).check()
    form.get_by_label(re.compile("^Begründung zur Übertragbarkeit")).fill("Jede Kammer kann das übernehmen.")
    form.get_by_role("group", name=re.compile("^Mehrwert")).get_by_label(added_value).check()
    form.get_by_label(re.compile("^Begründung zum Mehrwert")).fill("Betriebe finden Auszubildende.")
    form.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_text("Ihre Bewertung ist gespeichert.")).to_be_visible()


def test_a_partner_presents_a_project_and_the_public_finds_it_once_accepted(
    browser: Browser, page: Page, live_server, people, axe, tmp_path
):
    partner, (first, second) = people
    base = live_server.url
    author = _page_of(browser, live_server, partner)

    author.goto(f"{base}/projects/neu/")
    _accessible(axe, author)
    main = author.get_by_role("main")
    main.get_by_label(re.compile("^Titel")).fill("Werkstatt-Tage für Schulklassen")
    main.get_by_label(re.compile("^Kurzfassung")).fill(
        "Tischlereien öffnen an zwei Tagen im Jahr ihre Werkstätten."
    )
    main.get_by_label(re.compile("^Organisation")).select_option(label="Handwerkskammer Beispielstadt")
    main.get_by_label(re.compile("^Region")).select_option(label="Nordrhein-Westfalen")
    main.get_by_label(re.compile("^Beginn")).fill("2025-03-01")
    main.get_by_role("button", name="Speichern und weiter").click()

    expect(author.get_by_text("Der Entwurf ist gespeichert.")).to_be_visible()
    main.get_by_label(re.compile("^Beschreibung")).fill("## Vorgehen\n\nZwei Tage, zwölf Betriebe.")
    main.get_by_label("Tischlerhandwerk").check()
    main.get_by_role("button", name="Speichern und weiter").click()

    main.get_by_label(re.compile("^Ansprechperson")).fill("Paula Neumann")
    main.get_by_label(re.compile("^E-Mail der Ansprechperson")).fill("keine-adresse")
    main.get_by_role("button", name="Speichern und weiter").click()
    expect(main.get_by_text("Bitte prüfen Sie die markierten Angaben.")).to_be_visible()
    expect(main.get_by_label(re.compile("^Ansprechperson"))).to_have_value("Paula Neumann")
    main.get_by_label(re.compile("^E-Mail der Ansprechperson")).fill("paula@example.org")
    main.get_by_role("button", name="Speichern und weiter").click()

    photo = tmp_path / "werkstatt.jpg"
    photo.write_bytes(jpeg_with_location(1200, 800).read())
    _accessible(axe, author)
    main.get_by_label(re.compile("^Bild ")).set_input_files(photo)
    main.get_by_label(re.compile("^Bildbeschreibung")).fill("Schülerinnen an der Hobelbank")
    main.get_by_role("button", name="Bild hochladen").click()
    expect(main.get_by_role("img", name="Schülerinnen an der Hobelbank")).to_be_visible()
    main.get_by_role("link", name=re.compile("Prüfen und einreichen")).first.click()
    main.get_by_role("button", name="Einreichen").click()
    expect(author.get_by_text("Das Projekt ist eingereicht.")).to_be_visible()
    _accessible(axe, author)

    for coordinator, scores in ((first, ("4", "5")), (second, ("3", "4"))):
        reviewer = _page_of(browser, live_server, coordinator)
        reviewer.goto(f"{base}/projects/pruefung/")
        reviewer.get_by_role("link", name="Werkstatt-Tage für Schulklassen").click()
        _review(reviewer, transferability=scores[0], added_value=scores[1])
    expect(reviewer.get_by_role("row", name=re.compile("Karla Koordinatorin 4"))).to_be_visible()
    expect(reviewer.get_by_role("row", name=re.compile("Durchschnitt 3,5 4,5"))).to_be_visible()
    _accessible(axe, reviewer)
    decision = reviewer.locator("form", has=reviewer.get_by_role("button", name="Entscheidung speichern"))
    decision.get_by_label("Angenommen").check()
    decision.get_by_label(re.compile("^Begründung")).fill("Übertragbar und mit Mehrwert für Tischlereien.")
    decision.get_by_role("button", name="Entscheidung speichern").click()
    expect(reviewer.get_by_text("Die Entscheidung ist gespeichert")).to_be_visible()

    page.goto(f"{base}/projects/")
    page.get_by_role("link", name="Werkstatt-Tage für Schulklassen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkstatt-Tage für Schulklassen")
    expect(page.get_by_role("img", name="Schülerinnen an der Hobelbank")).to_be_visible()
    _accessible(axe, page)
    feed = page.request.get(f"{base}/projects/feed/")
    assert "Werkstatt-Tage für Schulklassen" in feed.text()

    author.goto(f"{base}/projects/meine/")
    expect(
        author.get_by_role("row", name=re.compile("Werkstatt-Tage für Schulklassen Angenommen"))
    ).to_be_visible()
