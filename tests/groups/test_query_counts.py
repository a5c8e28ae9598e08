"""The space pages run the same number of queries with one row as with three."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from groups import services
from groups.models import JoinRequest, Membership, Profile, Topic
from tests.factories import UserFactory
from tests.factories.groups import OrganisationFactory, SpaceFactory, ThreadFactory
from tests.querycount import assert_constant_queries


def _member_with_profile(space):
    user = UserFactory()
    Membership.objects.create(space=space, user=user)
    profile = Profile.objects.create(
        user=user, organisation=OrganisationFactory(), phone="0", show_phone="members"
    )
    topic, _ = Topic.objects.get_or_create(name="Ausbildung", slug="ausbildung")
    profile.topics.add(topic)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def test_space_list(coordinator_client, coordinator, fachgruppe):
    def grow():
        Membership.objects.create(space=SpaceFactory(parent=fachgruppe), user=coordinator)

    assert_constant_queries(coordinator_client, "/spaces/", grow=grow)


def test_space_home(coordinator_client, coordinator, fachgruppe):
    def grow():
        ThreadFactory(space=fachgruppe, author=_member_with_profile(fachgruppe))
        services.document_create(
            space=fachgruppe,
            by=coordinator,
            title="Konzept",
            upload=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n"),
        )
        JoinRequest.objects.create(space=fachgruppe, user=UserFactory())

    assert_constant_queries(coordinator_client, f"/spaces/{fachgruppe.slug}/", grow=grow)


def test_thread_list(coordinator_client, fachgruppe):
    assert_constant_queries(
        coordinator_client,
        f"/spaces/{fachgruppe.slug}/threads/",
        grow=lambda: ThreadFactory(space=fachgruppe),
    )


def test_thread_detail(coordinator_client, fachgruppe):
    thread = ThreadFactory(space=fachgruppe)

    def grow():
        author = _member_with_profile(fachgruppe)
        post = services.post_reply(thread=thread, author=author, body="Antwort")
        services.post_edit(post=post, user=author, body="Antwort, überarbeitet")

    assert_constant_queries(coordinator_client, thread.get_absolute_url(), grow=grow)


def test_document_list_and_detail(coordinator_client, coordinator, fachgruppe):
    document = services.document_create(
        space=fachgruppe, by=coordinator, title="Konzept", upload=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n")
    )

    def grow():
        author = _member_with_profile(fachgruppe)
        services.document_add_version(
            document=document, by=author, upload=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n")
        )
        services.document_comment(document=document, author=author, body="Kommentar")

    assert_constant_queries(coordinator_client, document.get_absolute_url(), grow=grow)
    assert_constant_queries(
        coordinator_client,
        f"/spaces/{fachgruppe.slug}/documents/",
        grow=lambda: services.document_create(
            space=fachgruppe,
            by=coordinator,
            title="Noch eins",
            upload=SimpleUploadedFile("n.pdf", b"%PDF-1.4\n"),
        ),
    )


def test_member_directory(coordinator_client, fachgruppe):
    assert_constant_queries(
        coordinator_client,
        f"/spaces/{fachgruppe.slug}/members/",
        grow=lambda: _member_with_profile(fachgruppe),
    )


def test_join_requests(coordinator_client, fachgruppe):
    assert_constant_queries(
        coordinator_client,
        f"/spaces/{fachgruppe.slug}/requests/",
        grow=lambda: JoinRequest.objects.create(space=fachgruppe, user=_member_with_profile(SpaceFactory())),
    )
