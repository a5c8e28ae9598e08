"""The ring rules, as a table: every role against every audience of an inner and an outer item."""

import pytest

from groups import access
from groups.models import Membership, Space, Thread
from tests.factories.groups import SpaceFactory, ThreadFactory
from tests.roles import ROLES

# (home space, audience) -> the roles that may see such an item.
EXPECTED = {
    ("inner", "inner"): {"inner_member", "coordinator", "staff"},
    ("inner", "fachgruppe"): {"partner", "inner_member", "coordinator", "staff"},
    ("inner", "public"): set(ROLES),
    ("fachgruppe", "fachgruppe"): {"partner", "inner_member", "coordinator", "staff"},
    ("fachgruppe", "public"): set(ROLES),
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
        "partner": {fachgruppe.pk},
        "inner_member": {fachgruppe.pk, inner.pk},
        "coordinator": {fachgruppe.pk, inner.pk},
        "staff": set(Space.objects.values_list("pk", flat=True)),
    }[role]
    assert inside == expected


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


def test_notification_audience_of_a_ring_includes_the_inner_members(
    fachgruppe, inner, partner, inner_member, outsider
):
    fachgruppe_audience = set(access.audience_member_ids(fachgruppe))
    inner_audience = set(access.audience_member_ids(inner))

    assert {partner.pk, inner_member.pk} <= fachgruppe_audience
    assert outsider.pk not in fachgruppe_audience
    assert inner_audience == {inner_member.pk}
