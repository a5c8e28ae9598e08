"""The project lists and the review page run as many queries with one row as with three."""

import pytest

from groups.models import Membership
from tests.factories import UserFactory, with_totp
from tests.factories.projects import ProjectFactory, reviewed, submitted
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_my_projects(client, partner):
    client.force_login(partner)
    assert_constant_queries(client, "/projects/meine/", grow=lambda: ProjectFactory(submitted_by=partner))


def test_review_queue(client, coordinator, second_reviewer):
    client.force_login(coordinator)

    def grow():
        reviewed(submitted(ProjectFactory()), by=second_reviewer)

    assert_constant_queries(client, "/projects/pruefung/", grow=grow)


def test_review_page_with_many_reviews(client, coordinator, partner, fachgruppe):
    project = submitted(ProjectFactory(submitted_by=partner))
    client.force_login(coordinator)

    def grow():
        reviewer = with_totp(UserFactory())
        Membership.objects.create(space=fachgruppe, user=reviewer, role=Membership.Role.COORDINATOR)
        reviewed(project, by=reviewer)

    assert_constant_queries(client, f"/projects/{project.slug}/pruefung/", grow=grow)


@pytest.fixture
def second_reviewer(fachgruppe):
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    return user
