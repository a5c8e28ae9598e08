"""Information out: drafts stay inside the ring, publishing reaches the public, the feeds and the asker."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError

from groups import information, questions, selectors_information
from groups.models import AudienceChange, InformationPage, Question, Topic, Trade
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.groups.test_questions import ask, deliver_all
from tests.querycount import assert_constant_queries

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def bakery(db):
    return Trade.objects.get_or_create(name="Bäckerhandwerk", slug="baeckerhandwerk")[0]


@pytest.fixture
def joinery(db):
    return Trade.objects.get_or_create(name="Tischlerhandwerk", slug="tischlerhandwerk")[0]


@pytest.fixture
def skills(db):
    return Topic.objects.get_or_create(name="Fachkräftesicherung", slug="fachkraeftesicherung")[0]


def draft(space, by, title="Quereinstieg in die Backstube", trades=(), topics=()) -> InformationPage:
    return information.information_draft_create(
        space=space,
        by=by,
        title=title,
        summary=f"Kurz: {title}",
        body="Der Text.",
        trades=trades,
        topics=topics,
    )


def published(space, coordinator, **kwargs) -> InformationPage:
    return information.information_publish(page=draft(space, coordinator, **kwargs), by=coordinator)


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own feed, not untrusted input


def rss_titles(client, query="") -> list[str]:
    response = client.get(f"/informationen/feed/{query}")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response)
    assert root.tag == "rss"
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(client) -> list[str]:
    root = parse(client.get("/informationen/atom/"))
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_whole_flow_from_question_to_public_answer(
    client, fachgruppe, coordinator, partner, outsider, bakery
):
    question = ask(outsider)
    question.trades.add(bakery)
    questions.question_accept(question=question, by=coordinator, assignee=partner)
    client.force_login(coordinator)

    response = client.post(f"/fragen/{question.pk}/antwort-entwerfen/")

    page = InformationPage.objects.get()
    assert response["Location"] == f"/informationen/{page.slug}/bearbeiten/"
    assert (page.title, page.source_question, page.audience) == (question.title, question, fachgruppe)
    assert list(page.trades.all()) == [bakery]
    assert "Hintergrund der AG Transfer." in page.body
    client.logout()
    assert client.get(page.get_absolute_url()).status_code == 404

    client.force_login(coordinator)
    client.post(f"/informationen/{page.slug}/veroeffentlichen/", {"confirm": "widen"})
    deliver_all()

    page.refresh_from_db()
    question.refresh_from_db()
    assert page.audience is None
    assert page.published_at is not None
    assert question.status == Question.Status.ANSWERED
    change = AudienceChange.objects.get(
        content_type=ContentType.objects.get_for_model(page), object_id=page.pk
    )
    assert (change.from_audience, change.to_audience, change.changed_by) == (fachgruppe, None, coordinator)
    [told] = [m for m in mail.outbox if m.to == [outsider.email] and "beantwortet" in m.subject]
    assert (
        told.subject
        == "[Fachgruppe Handwerk] Ihre Frage ist beantwortet: Wie gewinnen Bäckereien Quereinsteiger?"
    )
    assert f"/informationen/{page.slug}/" in told.body
    client.logout()
    assert client.get(page.get_absolute_url()).status_code == 200
    assert page.title in client.get("/informationen/").content.decode()


def test_publishing_tells_the_fachgruppe_ring_and_nobody_by_mail_at_once(
    fachgruppe, coordinator, partner, inner_member
):
    published(fachgruppe, coordinator)
    deliver_all()

    event = Event.objects.get(kind=Kind.INFORMATION_PUBLISHED)
    assert (event.ring, event.audience) == (fachgruppe, Event.Audience.RING)
    assert set(Notification.objects.filter(event=event).values_list("user_id", flat=True)) == {
        partner.pk,
        inner_member.pk,
    }
    assert [m for m in mail.outbox if "Neue Information" in m.subject] == []


def test_a_draft_does_not_exist_for_the_public(client, fachgruppe, coordinator, partner, outsider):
    page = draft(fachgruppe, partner, title="Geheimer Entwurf")
    published(fachgruppe, coordinator, title="Öffentliche Information")

    for person in (None, outsider):
        client.logout()
        if person:
            client.force_login(person)
        assert client.get(page.get_absolute_url()).status_code == 404
        assert "Geheimer Entwurf" not in client.get("/informationen/").content.decode()
        assert "Geheimer Entwurf" not in client.get("/").content.decode()
    assert rss_titles(client) == ["Öffentliche Information"]
    assert atom_titles(client) == ["Öffentliche Information"]
    assert selectors_information.published_pages().count() == 1

    client.force_login(partner)
    assert client.get(page.get_absolute_url()).status_code == 200
    assert "Geheimer Entwurf" in client.get("/informationen/").content.decode()


def test_only_the_coordination_publishes_and_only_once(client, fachgruppe, coordinator, partner):
    page = draft(fachgruppe, partner)
    client.force_login(partner)

    response = client.post(f"/informationen/{page.slug}/veroeffentlichen/", {"confirm": "widen"})
    assert response.status_code == 404
    page.refresh_from_db()
    assert page.published_at is None

    information.information_publish(page=page, by=coordinator)
    with pytest.raises(ValidationError, match="bereits veröffentlicht"):
        information.information_publish(page=page, by=coordinator)
    assert AudienceChange.objects.count() == 1


def test_an_inner_draft_is_shared_with_the_fachgruppe_before_it_can_be_published(
    inner, coordinator, inner_member
):
    page = draft(inner, inner_member)

    with pytest.raises(ValidationError, match="zuerst mit dem umgebenden Raum"):
        information.information_publish(page=page, by=coordinator)


def test_once_public_only_the_coordination_edits(client, fachgruppe, coordinator, partner):
    page = published(fachgruppe, coordinator)
    client.force_login(partner)

    assert client.get(f"/informationen/{page.slug}/bearbeiten/").status_code == 404
    client.force_login(coordinator)
    response = client.post(
        f"/informationen/{page.slug}/bearbeiten/",
        {"title": "Neuer Titel", "summary": "Neu.", "body": "Neu."},
    )
    assert response["Location"] == f"/informationen/{page.slug}/"
    page.refresh_from_db()
    assert page.title == "Neuer Titel"


def test_the_list_filters_by_trade_and_topic(client, fachgruppe, coordinator, bakery, joinery, skills):
    published(fachgruppe, coordinator, title="Brot und Nachwuchs", trades=[bakery], topics=[skills])
    published(fachgruppe, coordinator, title="Holz digital", trades=[joinery])

    def shown(query):
        page = client.get(f"/informationen/{query}").content.decode()
        return {title for title in ("Brot und Nachwuchs", "Holz digital") if title in page}

    assert shown("") == {"Brot und Nachwuchs", "Holz digital"}
    assert shown("?gewerk=baeckerhandwerk") == {"Brot und Nachwuchs"}
    assert shown("?gewerk=tischlerhandwerk") == {"Holz digital"}
    assert shown("?thema=fachkraeftesicherung") == {"Brot und Nachwuchs"}
    assert shown("?gewerk=tischlerhandwerk&thema=fachkraeftesicherung") == set()
    assert rss_titles(client, "?gewerk=tischlerhandwerk") == ["Holz digital"]


def test_an_unknown_filter_is_reported_and_everything_shown(client, fachgruppe, coordinator):
    published(fachgruppe, coordinator, title="Brot und Nachwuchs")

    page = client.get("/informationen/?gewerk=gibt-es-nicht").content.decode()

    assert "Diesen Filter gibt es nicht" in page
    assert "Brot und Nachwuchs" in page


def test_the_list_pages_keep_the_filter(client, fachgruppe, coordinator, bakery):
    for number in range(11):
        published(fachgruppe, coordinator, title=f"Information {number:02d}", trades=[bakery])

    first = client.get("/informationen/?gewerk=baeckerhandwerk").content.decode()
    second = client.get("/informationen/?gewerk=baeckerhandwerk&seite=2").content.decode()

    assert "Information 10" in first
    assert "Information 00" not in first
    assert "Information 00" in second
    assert "?gewerk=baeckerhandwerk&amp;seite=2" in first


def test_the_feeds_carry_links_dates_and_categories(client, fachgruppe, coordinator, bakery, skills):
    page = published(fachgruppe, coordinator, trades=[bakery], topics=[skills])

    rss = parse(client.get("/informationen/feed/"))
    [item] = rss.iter("item")
    atom = parse(client.get("/informationen/atom/"))
    [entry] = atom.iter(f"{ATOM}entry")

    assert item.findtext("link") == f"http://testserver{page.get_absolute_url()}"
    assert item.findtext("description") == page.summary
    assert item.findtext("pubDate")
    assert {c.text for c in item.iter("category")} == {"Bäckerhandwerk", "Fachkräftesicherung"}
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{page.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}updated")


def test_the_list_page_announces_both_feeds(client, fachgruppe):
    page = client.get("/informationen/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'href="/informationen/feed/"' in page
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_the_start_page_shows_the_three_latest_published_pages(client, fachgruppe, coordinator, partner):
    for number in range(4):
        published(fachgruppe, coordinator, title=f"Information Nummer {number}")
    draft(fachgruppe, partner, title="Noch ein Entwurf")

    page = client.get("/").content.decode()

    assert "Informationen für Betriebe" in page
    assert [f"Information Nummer {n}" in page for n in range(4)] == [False, True, True, True]
    assert "Noch ein Entwurf" not in page


def test_no_page_takes_the_address_of_the_feed(fachgruppe, partner):
    page = draft(fachgruppe, partner, title="Feed")

    assert page.slug == "feed-2"


@pytest.mark.parametrize("url", ["/informationen/", "/informationen/feed/", "/informationen/atom/"])
def test_the_public_lists_run_constant_queries(url, client, fachgruppe, coordinator, bakery, skills):
    def grow():
        published(fachgruppe, coordinator, trades=[bakery], topics=[skills])

    assert_constant_queries(client, url, grow=grow)
