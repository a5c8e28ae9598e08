"""The ring rules, as a table: every role against every audience of an inner and an outer item."""

import pytest

from groups import access
from groups.models import Membership, Space, Thread
from meetings.models import Minutes
from tests.factories import UserFactory
from tests.factories.groups import SpaceFactory, ThreadFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.projects import ProjectFactory, submitted
from tests.roles import ROLES

INNER_RING = {"inner_member", "inner_coordinator", "coordinator", "staff"}
FACHGRUPPE_RING = INNER_RING | {"partner", "fachgruppe_coordinator"}

# (home space, audience) -> the roles that may see such an item.
EXPECTED = {
    ("inner", "inner"): INNER_RING,
    ("inner", "fachgruppe"): FACHGRUPPE_RING,
    ("inner", "public"): set(ROLES),
    ("fachgruppe", "fachgruppe"): FACHGRUPPE_RING,
    ("fachgruppe", "public"): set(ROLES),
}

# The questions of coordination, each against the roles that may: the single-ring coordinators
# tell apart "coordinates this space" from "coordinates a space around it, or inside it".
ACTIONS = {
    "coordinate the Fachgruppe": {"fachgruppe_coordinator", "coordinator", "staff"},
    "coordinate the inner circle": {"inner_coordinator", "coordinator", "staff"},
    "see the inner circle's draft minutes": {"inner_coordinator", "coordinator", "staff"},
    "see the video link of an inner meeting": INNER_RING,
    "reply in an inner thread": INNER_RING,
    "reply in a thread of the Fachgruppe": FACHGRUPPE_RING,
    "review a project of the Fachgruppe": {"fachgruppe_coordinator", "coordinator", "staff"},
    "see the reviews of a project of the Fachgruppe": {"fachgruppe_coordinator", "coordinator", "staff"},
    "edit someone else's project of the Fachgruppe": {"fachgruppe_coordinator", "coordinator", "staff"},
    "see someone else's project under review": {"fachgruppe_coordinator", "coordinator", "staff"},
}


@pytest.fixture
def items(fachgruppe, inner):
    spaces = {"inner": inner, "fachgruppe": fachgruppe, "public": None}
    return {
        (home, audience): ThreadFactory(space=spaces[home], audience=spaces[audience])
        for home, audience in EXPECTED
    }


@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize(("home", "audience"), list(EXPECTED))
def test_ring_table(person, items, request, home, audience):
    role = request.node.callspec.params["person"]
    item = items[(home, audience)]

    visible_ids = set(access.visible_items(Thread.objects.all(), person).values_list("pk", flat=True))

    assert (item.pk in visible_ids) == (role in EXPECTED[(home, audience)])
    # Parity: the object check is the queryset check.
    assert access.can_view(person, item) == (item.pk in visible_ids)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_rings_a_person_is_inside(person, request, fachgruppe, inner):
    role = request.node.callspec.params["person"]

    inside = access.ring_space_ids(person)

    expected = {
        "anonymous": set(),
        "outsider": set(),
        "requester": set(),
        "unverified": set(),
        "partner": {fachgruppe.pk},
        "inner_member": {fachgruppe.pk, inner.pk},
        "fachgruppe_coordinator": {fachgruppe.pk},
        "inner_coordinator": {fachgruppe.pk, inner.pk},
        "coordinator": {fachgruppe.pk, inner.pk},
        # Still recorded as a coordinator of both: a deactivated account counts nowhere.
        "deactivated": set(),
        "staff": set(Space.objects.values_list("pk", flat=True)),
    }[role]
    assert inside == expected


@pytest.fixture
def action_subjects(fachgruppe, inner):
    meeting = MeetingFactory(space=inner)
    return {
        "fachgruppe": fachgruppe,
        "inner": inner,
        "draft_minutes": Minutes.objects.create(meeting=meeting),
        "inner_meeting": meeting,
        "inner_thread": ThreadFactory(space=inner),
        "fachgruppe_thread": ThreadFactory(space=fachgruppe),
        "project": submitted(ProjectFactory(submitted_by=UserFactory())),
    }


def _allowed_actions(person, subjects) -> set[str]:
    project = subjects["project"]
    answers = {
        "coordinate the Fachgruppe": access.can_coordinate(person, subjects["fachgruppe"]),
        "coordinate the inner circle": access.can_coordinate(person, subjects["inner"]),
        "see the inner circle's draft minutes": access.can_see_minutes(person, subjects["draft_minutes"]),
        "see the video link of an inner meeting": access.can_see_meeting_link(
            person, subjects["inner_meeting"]
        ),
        "reply in an inner thread": access.can_contribute(person, subjects["inner_thread"]),
        "reply in a thread of the Fachgruppe": access.can_contribute(person, subjects["fachgruppe_thread"]),
        "review a project of the Fachgruppe": access.can_review(person, project),
        "see the reviews of a project of the Fachgruppe": access.can_see_reviews(person, project),
        "edit someone else's project of the Fachgruppe": access.can_edit_project(person, project),
        "see someone else's project under review": access.can_view(person, project),
    }
    return {action for action, allowed in answers.items() if allowed}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_coordination_table(person, action_subjects, request, fachgruppe, inner):
    role = request.node.callspec.params["person"]

    allowed = _allowed_actions(person, action_subjects)

    assert allowed == {action for action, roles in ACTIONS.items() if role in roles}
    # Parity: the cached set of coordinated spaces answers as can_coordinate does.
    coordinated = {space.pk for space in (fachgruppe, inner) if access.can_coordinate(person, space)}
    assert coordinated == set(access.coordinated_space_ids(person)) & {fachgruppe.pk, inner.pk}


def test_member_of_a_deeper_space_is_inside_every_ring_around_it(inner, outsider):
    deepest = SpaceFactory(parent=inner)
    Membership.objects.create(space=deepest, user=outsider)
    item_of_fachgruppe = ThreadFactory(space=inner.parent)

    assert access.ring_space_ids(outsider) == {deepest.pk, inner.pk, inner.parent_id}
    assert access.can_view(outsider, item_of_fachgruppe)


def test_hidden_and_missing_items_answer_the_same_404(partner, inner):
    from django.http import Http404

    hidden = ThreadFactory(space=inner)

    with pytest.raises(Http404):
        access.get_visible_or_404(Thread.objects.all(), partner, pk=hidden.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(Thread.objects.all(), partner, pk=hidden.pk + 1000)


def test_a_coordinator_s_page_opens_the_item_asked_for_and_only_in_a_space_they_coordinate(
    fachgruppe, inner, inner_coordinator, inner_member
):
    from django.http import Http404

    first, second = ThreadFactory(space=inner), ThreadFactory(space=inner)
    of_the_fachgruppe = ThreadFactory(space=fachgruppe)

    assert access.get_coordinated_or_404(Thread.objects.all(), inner_coordinator, pk=second.pk) == second
    assert access.get_coordinated_or_404(Thread.objects.all(), inner_coordinator, pk=first.pk) == first
    # Visible, but at home in a space they are a plain member of: the 404 of a missing item.
    with pytest.raises(Http404):
        access.get_coordinated_or_404(Thread.objects.all(), inner_coordinator, pk=of_the_fachgruppe.pk)
    with pytest.raises(Http404):
        access.get_coordinated_or_404(Thread.objects.all(), inner_member, pk=first.pk)


def test_notification_audience_of_a_ring_includes_the_inner_members(
    fachgruppe, inner, partner, inner_member, outsider
):
    fachgruppe_audience = set(access.audience_member_ids(fachgruppe))
    inner_audience = set(access.audience_member_ids(inner))

    assert {partner.pk, inner_member.pk} <= fachgruppe_audience
    assert outsider.pk not in fachgruppe_audience
    assert inner_audience == {inner_member.pk}
