"""The showcase feeds: valid RSS 2.0 and Atom, public projects only, filterable, newest first."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest

from projects import feeds
from projects.models import Project
from tests.factories.groups import OrganisationFactory
from tests.factories.projects import ProjectFactory, submitted
from tests.projects.showcase import showcased, topic, trade
from tests.querycount import assert_constant_queries

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own feed, not untrusted input


def rss_titles(client, params=None) -> list[str]:
    return [item.findtext("title") for item in parse(client.get("/projects/feed/", params)).iter("item")]


@pytest.fixture
def project(coordinator):
    return showcased(
        coordinator,
        title="Praxistage im Verbund",
        summary="Betriebe teilen sich Praxistage.",
        organisation=OrganisationFactory(name="Kreishandwerkerschaft Borken"),
        trades=[trade("Tischlerhandwerk", "tischlerhandwerk")],
        topics=[topic("Ausbildung", "ausbildung")],
    )


def test_rss_has_the_required_elements(client, project):
    response = client.get("/projects/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Modellprojekte · Fachgruppe Handwerk"
    assert channel.findtext("link") == "http://testserver/projects/"
    assert channel.findtext("description").startswith("Übertragbare Modellprojekte")
    [item] = channel.findall("item")
    url = f"http://testserver/projects/{project.slug}/"
    assert item.findtext("title") == "Praxistage im Verbund"
    assert item.findtext("link") == url
    assert item.findtext("guid") == url
    assert item.findtext("description") == "Betriebe teilen sich Praxistage."
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 / 2822
    assert published.tzinfo is not None
    assert abs(published - project.accepted_at) < datetime.timedelta(seconds=1)
    assert item.findtext(f"{DC}creator") == "Kreishandwerkerschaft Borken"
    assert {c.text for c in item.findall("category")} == {"Tischlerhandwerk", "Ausbildung"}


def test_atom_has_the_required_elements(client, project):
    response = client.get("/projects/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id")
    assert root.findtext(f"{ATOM}title") == "Modellprojekte · Fachgruppe Handwerk"
    assert datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Fachgruppe Handwerk"
    [entry] = root.findall(f"{ATOM}entry")
    url = f"http://testserver/projects/{project.slug}/"
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}title") == "Praxistage im Verbund"
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert entry.find(f"{ATOM}link").get("href") == url
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Kreishandwerkerschaft Borken"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"Tischlerhandwerk", "Ausbildung"}


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "staff_member"])
def test_feeds_show_what_the_public_sees_whoever_asks(role, client, coordinator, inner, partner, request):
    showcased(coordinator, title="Öffentlich")
    inner_only = showcased(coordinator, title="Angenommen, aber nur innen")
    Project.objects.filter(pk=inner_only.pk).update(audience=inner)
    for status in (Project.Status.SUBMITTED, Project.Status.RETURNED, Project.Status.DECLINED):
        hidden = submitted(ProjectFactory(title=f"Verborgen {status}", submitted_by=partner))
        Project.objects.filter(pk=hidden.pk).update(status=status)
    ProjectFactory(title="Verborgener Entwurf", submitted_by=partner)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    assert rss_titles(client) == ["Öffentlich"]
    atom = parse(client.get("/projects/atom/"))
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == ["Öffentlich"]


def test_feeds_filter_like_the_list_and_keep_the_newest_first(client, coordinator):
    bakery = trade("Bäckerhandwerk", "baeckerhandwerk")
    showcased(coordinator, title="A älter", trades=[bakery], region="BY", accepted_days_ago=3)
    showcased(coordinator, title="Z neuer", trades=[bakery], region="BY", accepted_days_ago=1)
    showcased(coordinator, title="Tischlerei", region="BY")

    assert rss_titles(client, {"gewerk": "baeckerhandwerk"}) == ["Z neuer", "A älter"]
    # The list's order means nothing to a feed; a search narrows it.
    assert rss_titles(client, {"gewerk": "baeckerhandwerk", "sortierung": "titel"}) == ["Z neuer", "A älter"]
    assert rss_titles(client, {"q": "Tischlerei"}) == ["Tischlerei"]
    # An unknown value narrows nothing rather than failing.
    assert len(rss_titles(client, {"gewerk": "gibt-es-nicht"})) == 3


def test_feeds_hold_at_most_thirty_items(client, coordinator, monkeypatch):
    assert feeds.FEED_LENGTH == 30
    monkeypatch.setattr(feeds, "FEED_LENGTH", 2)
    for days in range(3):
        showcased(coordinator, title=f"Vor {days} Tagen", accepted_days_ago=days)

    assert rss_titles(client) == ["Vor 0 Tagen", "Vor 1 Tagen"]


@pytest.mark.parametrize("url", ["/projects/feed/", "/projects/atom/", "/projects/feed/?region=NW"])
def test_feeds_run_constant_queries(url, client, coordinator):
    def grow():
        showcased(coordinator, region="NW", topics=[topic("Ausbildung", "ausbildung")])

    assert_constant_queries(client, url, grow=grow)
