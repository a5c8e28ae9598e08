"""Addresses from German titles write the umlauts out; addresses already made keep answering."""

import pytest

from groups import information
from portal.slugs import german_slugify
from projects import services
from tests.factories.projects import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Nachfolgebörse der Tischlerinnung", "nachfolgeboerse-der-tischlerinnung"),
        ("Ausbildungsbotschafter im Bäckerhandwerk", "ausbildungsbotschafter-im-baeckerhandwerk"),
        ("Übergabe für Straßenbauer", "uebergabe-fuer-strassenbauer"),
        ("ÖKO-Prüfstand GROSSE Öfen", "oeko-pruefstand-grosse-oefen"),
        ("Café Zoë", "cafe-zoe"),
    ],
)
def test_german_titles_become_addresses_with_the_umlauts_written_out(title, slug):
    assert german_slugify(title) == slug


def test_a_new_project_gets_a_transliterated_address(partner):
    project = services.create_draft(by=partner, fields={"title": "Nachfolgebörse für Bäcker"})

    assert project.slug == "nachfolgeboerse-fuer-baecker"


def test_a_new_information_page_gets_a_transliterated_address(coordinator, fachgruppe):
    page = information.information_draft_create(
        space=fachgruppe, by=coordinator, title="Fördermittel für Bäckereien", summary="Kurz.", body="Text."
    )

    assert page.slug == "foerdermittel-fuer-baeckereien"


def test_an_address_made_before_keeps_answering_after_an_edit(client, partner):
    project = ProjectFactory(submitted_by=partner, title="Nachfolgebörse", slug="nachfolgeborse")
    services.update_project(project=project, by=partner, fields={"title": "Nachfolgebörse der Innung"})
    client.force_login(partner)

    response = client.get("/projects/nachfolgeborse/")

    assert response.status_code == 200
    assert "Nachfolgebörse der Innung" in response.content.decode()
