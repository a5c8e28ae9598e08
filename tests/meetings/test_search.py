"""Search finds what the person may see, with German stemming on PostgreSQL."""

import pytest
from django.db import connection
from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes


def _meeting(space, title, *, published=True, **kwargs):
    meeting = Meeting.objects.create(
        space=space, audience=space, title=title, starts_at=timezone.now(), **kwargs
    )
    Minutes.objects.create(
        meeting=meeting, status=Minutes.Status.PUBLISHED if published else Minutes.Status.DRAFT
    )
    return meeting


@pytest.fixture
def fachgruppe_meeting(fachgruppe):
    meeting = _meeting(fachgruppe, "Fachgruppentreffen Herbst")
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Ziele der Fachgruppe",
        discussion="Die Ausbildungen im Handwerk stärken.",
    )
    Decision.objects.create(agenda_item=item, text="Ein Konzept zur Zusammenarbeit wird erarbeitet.")
    ActionItem.objects.create(meeting=meeting, agenda_item=item, title="Datenbank des ZDH sichten")
    return meeting


def test_partner_finds_agenda_minutes_decisions_and_action_items(client, partner, fachgruppe_meeting):
    client.force_login(partner)

    for query, expected in [
        ("Ziele", "Ziele der Fachgruppe"),
        ("Konzept", "Ein Konzept zur Zusammenarbeit"),
        ("Datenbank", "Datenbank des ZDH sichten"),
    ]:
        html = client.get("/meetings/search/", {"q": query}).content.decode()
        assert expected in html, query


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL's German configuration"
)
def test_german_stemming_finds_other_forms_of_a_word(client, partner, fachgruppe_meeting):
    client.force_login(partner)

    html = client.get("/meetings/search/", {"q": "Ausbildung"}).content.decode()

    assert "Die Ausbildungen im Handwerk stärken." in html


def test_inner_meetings_and_draft_minutes_are_not_found_by_outsiders(
    client, partner, inner, fachgruppe, coordinator
):
    inner_meeting = _meeting(inner, "Vertrauliche Kammerrunde")
    AgendaItem.objects.create(meeting=inner_meeting, position=1, title="Prüfungszahlen der Kammern")
    draft = _meeting(fachgruppe, "Entwurfssitzung", published=False)
    AgendaItem.objects.create(
        meeting=draft, position=1, title="Öffentlicher Punkt", discussion="Geheimer Entwurfstext"
    )
    client.force_login(partner)

    # The query itself stands on the page (search field, language switch); the hits must not.
    for query in ("Kammerrunde", "Prüfungszahlen", "Entwurfstext"):
        assert "Keine Treffer" in client.get("/meetings/search/", {"q": query}).content.decode(), query

    client.force_login(coordinator)
    assert "Geheimer Entwurfstext" in client.get("/meetings/search/", {"q": "Entwurfstext"}).content.decode()
    assert (
        "Prüfungszahlen der Kammern"
        in client.get("/meetings/search/", {"q": "Prüfungszahlen"}).content.decode()
    )


def test_anonymous_visitors_find_only_public_meetings(client, fachgruppe):
    public = Meeting.objects.create(space=fachgruppe, audience=None, title="Offene Schulung Arbeitsschutz")
    Meeting.objects.create(space=fachgruppe, audience=fachgruppe, title="Interne Schulung Arbeitsschutz")

    html = client.get("/meetings/search/", {"q": "Schulung Arbeitsschutz"}).content.decode()

    assert public.title in html
    assert "Interne Schulung" not in html
    assert "1 Treffer" in html
