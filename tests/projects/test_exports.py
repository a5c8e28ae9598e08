"""The coordinators' CSV and JSON exports: every project they may see, in every state, with scores."""

import csv
import io
import json

import pytest
import time_machine

from groups.models import Membership
from projects import catalogue
from projects.models import Project, Review
from tests.factories import UserFactory, with_totp
from tests.factories.groups import OrganisationFactory
from tests.factories.projects import FundingProgrammeFactory, ProjectFactory, reviewed, submitted
from tests.projects.showcase import showcased, topic, trade
from tests.querycount import assert_constant_queries


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def read_json(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def second_reviewer(fachgruppe):
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def portfolio(coordinator, partner, second_reviewer):
    """An accepted project and one in review in its second round (round one had other scores)."""
    accepted = showcased(
        coordinator,
        title="Praxistage im Verbund",
        organisation=OrganisationFactory(name="Kreishandwerkerschaft Borken"),
        region="NW",
        funding_programme=FundingProgrammeFactory(name="ESF Plus"),
        trades=[trade("Tischlerhandwerk", "tischlerhandwerk"), trade("Bäckerhandwerk", "baeckerhandwerk")],
        topics=[topic("Ausbildung", "ausbildung")],
        links=["https://example.org/praxistage", "https://example.org/a,b"],
    )
    in_review = submitted(ProjectFactory(title="Digitale Werkstatt", submitted_by=partner, region="BY"))
    reviewed(in_review, by=second_reviewer, transferability=1, added_value=1)
    submitted(in_review, number=2)
    in_review = Project.objects.get(pk=in_review.pk)  # Project.round is cached on the instance
    reviewed(in_review, by=coordinator, transferability=4, added_value=5)
    reviewed(in_review, by=second_reviewer, transferability=3, added_value=2)
    ProjectFactory(title="Ein Entwurf", submitted_by=partner)
    return accepted, in_review


def test_csv_for_german_excel(client, coordinator, portfolio):
    accepted, _in_review = portfolio
    client.force_login(coordinator)

    with time_machine.travel("2026-11-25 10:00 +01:00"):
        response = client.get("/projects/export/csv/", {"sortierung": "titel"})

    assert response["Content-Disposition"] == 'attachment; filename="modellprojekte-2026-11-25.csv"'
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    rows = read_csv(response)
    assert [row["Titel"] for row in rows] == ["Digitale Werkstatt", "Ein Entwurf", "Praxistage im Verbund"]
    digital, draft, praxis = rows
    assert list(praxis) == [str(column.label) for column in catalogue.EXPORT_COLUMNS]
    assert praxis["Status"] == "Angenommen"
    assert praxis["Organisation"] == "Kreishandwerkerschaft Borken"
    assert praxis["Art der Organisation"] == "Kammer"
    assert praxis["Region"] == "Nordrhein-Westfalen"
    assert praxis["Förderprogramm"] == "ESF Plus"
    assert praxis["Beginn"] == "2025-03-01"
    assert praxis["Ende"] == "2026-12-31"
    assert praxis["Gewerke"] == "Bäckerhandwerk, Tischlerhandwerk"
    assert praxis["Themen"] == "Ausbildung"
    assert praxis["Ansprechperson"] == "Petra Beispiel"
    assert praxis["E-Mail der Ansprechperson"] == "projekt@example.org"
    assert praxis["Links"] == "https://example.org/praxistage\nhttps://example.org/a,b"
    assert praxis["Adresse im Portal"] == f"http://testserver/projects/{accepted.slug}/"
    assert praxis["Angenommen am"]
    assert praxis["Bewertungen (aktuelle Runde)"] == "1"
    assert praxis["Übertragbarkeit, Durchschnitt"] == "4,00"
    # Round two of the project in review: its two reviews, not the first round's.
    assert digital["Status"] == "In Prüfung"
    assert digital["Bewertungen (aktuelle Runde)"] == "2"
    assert digital["Übertragbarkeit, Durchschnitt"] == "3,50"
    assert digital["Mehrwert für das Handwerk, Durchschnitt"] == "3,50"
    assert draft["Status"] == "Entwurf"
    assert draft["Eingereicht am"] == ""
    assert draft["Bewertungen (aktuelle Runde)"] == "0"
    assert draft["Übertragbarkeit, Durchschnitt"] == ""


def test_json_with_stable_english_keys(client, coordinator, portfolio):
    accepted, _in_review = portfolio
    client.force_login(coordinator)

    with time_machine.travel("2026-11-25 10:00 +01:00"):
        response = client.get("/projects/export/json/")

    assert response["Content-Disposition"] == 'attachment; filename="modellprojekte-2026-11-25.json"'
    rows = {row["title"]: row for row in read_json(response)}
    assert set(rows) == {"Praxistage im Verbund", "Digitale Werkstatt", "Ein Entwurf"}
    praxis = rows["Praxistage im Verbund"]
    assert set(praxis) == {column.key for column in catalogue.EXPORT_COLUMNS} | {
        "slug",
        "status_code",
        "organisation_kind_code",
        "region_code",
    }
    assert praxis["status_code"] == "accepted"
    assert praxis["region_code"] == "NW"
    assert praxis["organisation_kind_code"] == "chamber"
    assert praxis["trades"] == ["Bäckerhandwerk", "Tischlerhandwerk"]
    assert praxis["links"] == ["https://example.org/praxistage", "https://example.org/a,b"]
    assert praxis["starts_on"] == "2025-03-01"
    assert praxis["accepted_at"].startswith("20")
    assert praxis["url"] == f"http://testserver/projects/{accepted.slug}/"
    digital = rows["Digitale Werkstatt"]
    assert (digital["review_count"], digital["transferability_average"], digital["added_value_average"]) == (
        2,
        3.5,
        3.5,
    )
    assert rows["Ein Entwurf"]["transferability_average"] is None
    assert "note" not in json.dumps(praxis)


def test_exports_honour_the_list_filters(client, coordinator, portfolio):
    client.force_login(coordinator)

    assert [row["title"] for row in read_json(client.get("/projects/export/json/", {"region": "BY"}))] == [
        "Digitale Werkstatt"
    ]
    csv_rows = read_csv(client.get("/projects/export/csv/", {"gewerk": "baeckerhandwerk"}))
    assert [row["Titel"] for row in csv_rows] == ["Praxistage im Verbund"]


def test_spreadsheet_formulas_are_neutralised(client, coordinator, partner):
    ProjectFactory(
        title='=HYPERLINK("https://evil.example","Klick")',
        contact_name="@SUMME(A1:A9)",
        summary="egal",
        submitted_by=partner,
        links=["https://example.org"],
        organisation=OrganisationFactory(name="+49 Innung"),
    )
    ProjectFactory(title="-2+3", contact_name="\tTab", submitted_by=partner)
    client.force_login(coordinator)

    rows = read_csv(client.get("/projects/export/csv/", {"sortierung": "titel"}))

    assert [row["Titel"] for row in rows] == ["'-2+3", '\'=HYPERLINK("https://evil.example","Klick")']
    assert rows[1]["Ansprechperson"] == "'@SUMME(A1:A9)"
    assert rows[1]["Organisation"] == "'+49 Innung"
    assert rows[0]["Ansprechperson"] == "'\tTab"


@pytest.mark.parametrize("url", ["/projects/export/csv/", "/projects/export/json/"])
def test_only_the_fachgruppe_coordinators_export(url, client, partner, inner_member, inner, portfolio):
    assert client.get(url)["Location"].startswith("/accounts/login/")
    inner_coordinator = with_totp(UserFactory())
    Membership.objects.create(space=inner, user=inner_coordinator, role=Membership.Role.COORDINATOR)
    for person in (partner, inner_member, inner_coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_staff_export_everything(client, staff_member, portfolio):
    client.force_login(staff_member)

    assert len(read_json(client.get("/projects/export/json/"))) == 3


def test_the_export_reads_only_what_the_coordinator_may_see(coordinator, partner, portfolio):
    """Planted: a project of another space the coordinator does not coordinate, still a draft."""
    from tests.factories.groups import SpaceFactory

    elsewhere = SpaceFactory()
    ProjectFactory(title="Fremder Entwurf", space=elsewhere, audience=elsewhere, submitted_by=partner)

    titles = {row["title"] for row in catalogue.export_rows(coordinator)}

    assert "Fremder Entwurf" not in titles
    assert len(titles) == 3


@pytest.mark.parametrize("url", ["/projects/export/csv/", "/projects/export/json/?region=NW"])
def test_exports_run_constant_queries(url, client, coordinator, partner, second_reviewer):
    client.force_login(coordinator)

    def grow():
        project = submitted(ProjectFactory(submitted_by=partner, funding_programme=FundingProgrammeFactory()))
        reviewed(project, by=second_reviewer)
        project.topics.add(topic("Ausbildung", "ausbildung"))

    assert_constant_queries(client, url, grow=grow)


def test_reviews_of_earlier_rounds_do_not_count(coordinator, portfolio):
    _accepted, in_review = portfolio

    row = next(r for r in catalogue.export_rows(coordinator) if r["title"] == "Digitale Werkstatt")

    assert Review.objects.filter(project=in_review).count() == 3
    assert in_review.round == 2
    assert row["review_count"] == 2
    assert Project.objects.get(pk=in_review.pk).status == Project.Status.IN_REVIEW
