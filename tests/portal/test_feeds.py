"""Every feed of the portal: valid Atom (RFC 4287), addresses from SITE_URL, and 304 for pollers."""

import xml.etree.ElementTree as ET

import pytest

from tests.groups.test_information import published
from tests.projects.showcase import showcased

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_FEEDS = ["/informationen/atom/", "/projects/atom/"]
ALL_FEEDS = [*ATOM_FEEDS, "/informationen/feed/", "/projects/feed/"]


@pytest.fixture
def content(fachgruppe, coordinator):
    published(fachgruppe, coordinator)
    showcased(coordinator, title="Praxistage im Verbund", organisation=None)


def atom_problems(document: bytes) -> list[str]:
    """The RFC 4287 rules a feed reader relies on (section 4.1): what is missing, element by element."""
    feed = ET.fromstring(document)  # noqa: S314 - the portal's own feed
    problems = []
    if feed.tag != f"{ATOM}feed":
        return [f"root element is {feed.tag}"]
    for name in ("id", "title", "updated"):
        if feed.find(f"{ATOM}{name}") is None:
            problems.append(f"feed without atom:{name}")
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    if not any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link")):
        problems.append("feed without a self link")
    entries = feed.findall(f"{ATOM}entry")
    if not entries:
        problems.append("no entries to check")
    for number, entry in enumerate(entries, 1):
        for name in ("id", "title", "updated"):
            if entry.find(f"{ATOM}{name}") is None:
                problems.append(f"entry {number} without atom:{name}")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"entry {number} without an author, and the feed has none (4.1.1)")
        if entry.find(f"{ATOM}link[@rel='alternate']") is None and entry.find(f"{ATOM}content") is None:
            problems.append(f"entry {number} without an alternate link or content")
    return problems


@pytest.mark.parametrize("path", ATOM_FEEDS)
def test_the_atom_feeds_are_valid(client, content, path):
    response = client.get(path)

    assert response.status_code == 200
    assert atom_problems(response.content) == []


@pytest.mark.parametrize("path", ALL_FEEDS)
def test_feed_addresses_come_from_site_url_not_from_the_host_header(client, content, settings, path):
    settings.SITE_URL = "https://portal.example.org"

    body = client.get(path, HTTP_HOST="mirror.example.net").content.decode()

    assert "https://portal.example.org/" in body
    assert "mirror.example.net" not in body


@pytest.mark.parametrize("path", ALL_FEEDS)
def test_a_poller_gets_304_when_nothing_changed(client, content, path):
    first = client.get(path)
    assert first["ETag"]
    assert first["Last-Modified"]

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_new_item_changes_the_etag(client, content, coordinator):
    first = client.get("/projects/feed/")
    showcased(coordinator, title="Ausbildungsbotschafter im Kreis", organisation=None)

    assert client.get("/projects/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
