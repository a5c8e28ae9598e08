"""The embeddable showcase: framed only by the origins of EMBED_FRAME_ANCESTORS, public content only."""

import pytest

from tests.factories.projects import ProjectFactory, TradeFactory, accepted

pytestmark = pytest.mark.django_db


def test_only_the_listed_origins_may_frame_the_showcase(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://www.hwk-beispiel.de"]

    embedded = client.get("/einbetten/projekte/")
    elsewhere = client.get("/projects/")

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in embedded["Content-Security-Policy"].split(";")
    }
    assert policy["frame-ancestors"] == ["https://www.hwk-beispiel.de"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in embedded["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded
    assert "frame-ancestors 'none'" in elsewhere["Content-Security-Policy"]
    assert elsewhere["X-Frame-Options"] == "DENY"


def test_without_a_listed_origin_nobody_may_frame_it(client, settings):
    settings.EMBED_FRAME_ANCESTORS = []

    assert "frame-ancestors 'none'" in client.get("/einbetten/informationen/")["Content-Security-Policy"]


def test_the_showcase_of_one_trade_shows_its_newest_projects(client, coordinator, partner):
    tischler = TradeFactory(name="Tischler", slug="tischler")
    mine = accepted(ProjectFactory(title="Holz im Wandel"), by=coordinator)
    mine.trades.add(tischler)
    accepted(ProjectFactory(title="Anderes Gewerk"), by=coordinator)
    ProjectFactory(title="Noch in Arbeit", submitted_by=partner).trades.add(tischler)
    client.force_login(partner)

    page = client.get("/einbetten/projekte/", {"gewerk": "tischler"}).content.decode()

    assert "Holz im Wandel" in page
    assert "Anderes Gewerk" not in page
    assert "Noch in Arbeit" not in page
    assert client.get("/einbetten/projekte/", {"gewerk": "gibt-es-nicht"}).status_code == 404


def test_the_partner_chooses_the_language(client):
    page = client.get("/einbetten/informationen/", {"sprache": "en"})

    assert page["Content-Language"] == "en" or '<html lang="en">' in page.content.decode()
