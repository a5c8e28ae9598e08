"""Every list of the API costs the same number of queries for one row as for three."""

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api import tokens
from groups import information, services
from meetings import minutes
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import HeldMeetingFactory, MeetingFactory
from tests.factories.projects import ProjectFactory, TradeFactory, accepted
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


@pytest.fixture
def reader(client, inner_member):
    _token, secret = tokens.token_create(user=inner_member, name="Zähler")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return inner_member


def test_the_showcase(client, coordinator):
    def grow():
        project = accepted(ProjectFactory(), by=coordinator)
        project.trades.add(TradeFactory())

    assert_constant_queries(client, "/api/v1/projects", grow=grow)


def test_information(client, inner_member, coordinator, inner):
    def grow():
        page = information.information_draft_create(
            space=inner, by=inner_member, title=f"Seite {next(_numbers)}", summary="Kurz.", body="Text."
        )
        page.audience = None
        page.published_at = page.created_at
        page.save(update_fields=["audience", "published_at"])

    assert_constant_queries(client, "/api/v1/information", grow=grow)


def test_meetings(client, reader, inner):
    assert_constant_queries(client, "/api/v1/meetings", grow=lambda: MeetingFactory(space=inner))


def test_threads(client, reader, inner):
    assert_constant_queries(client, "/api/v1/threads", grow=lambda: ThreadFactory(space=inner, author=reader))


def test_documents(client, reader, inner):
    def grow():
        services.document_create(
            space=inner, by=reader, title="Entwurf", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
        )

    assert_constant_queries(client, "/api/v1/documents", grow=grow)


def test_action_items(client, reader, coordinator, inner):
    def grow():
        # Each on a meeting of its own, whose minutes are published with it.
        meeting = HeldMeetingFactory(space=inner)
        minutes.action_item_add(meeting=meeting, by=coordinator, title="Aufgabe", assignees=[reader])
        minutes.minutes_publish(meeting=meeting, by=coordinator)

    assert_constant_queries(client, "/api/v1/action-items", grow=grow)
