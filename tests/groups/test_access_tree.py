"""The rule book's walk through the space tree and its answer to "who coordinates": once, for everyone."""

import pytest

from groups import access
from groups.models import Membership, Space
from tests.factories import UserFactory
from tests.factories.groups import SpaceFactory


@pytest.fixture
def workshop(inner):
    """A third ring, inside the inner circle."""
    return SpaceFactory(name="Werkstattkreis", parent=inner)


def test_the_ring_chain_runs_outward_from_the_home_space(fachgruppe, inner, workshop):
    assert access.ring_chain(workshop) == [workshop, inner, fachgruppe]
    assert access.ring_chain_ids(inner) == {inner.pk, fachgruppe.pk}
    assert access.ring_chain(None) == []


def test_the_rings_of_an_item_reach_out_to_its_audience_and_for_a_public_item_to_the_outermost(
    fachgruppe, inner, workshop
):
    assert access.rings_out_to(workshop, inner) == [workshop, inner]
    assert access.rings_out_to(workshop, workshop) == [workshop]
    assert access.rings_out_to(workshop, None) == [workshop, inner, fachgruppe]


def test_an_audience_is_the_home_space_a_space_around_it_or_the_public(fachgruppe, inner, workshop):
    assert access.is_ring_of(fachgruppe, space=workshop)
    assert access.is_ring_of(None, space=workshop)
    assert access.is_ring_of(workshop, space=workshop)
    assert not access.is_ring_of(workshop, space=fachgruppe)


def test_moving_an_item_outward_widens_it_and_moving_it_inward_never_does(fachgruppe, inner, workshop):
    assert access.move_widens(workshop.pk, to_space=fachgruppe)
    assert access.move_widens(inner.pk, to_space=fachgruppe)
    assert not access.move_widens(fachgruppe.pk, to_space=inner)
    assert not access.move_widens(inner.pk, to_space=inner)
    assert not access.move_widens(None, to_space=inner)
    # A space beside it is neither around nor inside: no widening (the move is refused as narrowing).
    assert not access.move_widens(SpaceFactory().pk, to_space=fachgruppe)


def test_the_spaces_around_ones_own_circles(fachgruppe, inner, workshop, partner, inner_member, deactivated):
    Membership.objects.create(space=workshop, user=inner_member)

    assert access.spaces_around_own_circles(inner_member) == {inner.pk, fachgruppe.pk}
    assert access.spaces_around_own_circles(partner) == set()
    # A deactivated account counts nowhere, whatever memberships it still has on record.
    assert access.spaces_around_own_circles(deactivated) == set()


def test_a_deactivated_coordinator_coordinates_nothing_and_staff_every_space(
    fachgruppe, inner, deactivated, staff_member, inner_coordinator
):
    assert list(access.coordinated_spaces(deactivated)) == []
    assert not access.coordinates_any_space(deactivated)
    assert set(access.coordinated_spaces(staff_member)) == set(Space.objects.all())
    assert access.coordinates_any_space(staff_member)
    assert list(access.coordinated_spaces(inner_coordinator)) == [inner]


def test_a_deactivated_coordinator_is_not_named_on_the_space_page(
    client, fachgruppe, partner, fachgruppe_coordinator, deactivated
):
    fachgruppe_coordinator.name, deactivated.name = "Clara Koordina", "Dieter Deaktiviert"
    for person in (fachgruppe_coordinator, deactivated):
        person.save(update_fields=["name"])
    client.force_login(partner)

    page = client.get(fachgruppe.get_absolute_url()).content.decode()

    assert "Clara Koordina" in page
    assert "Dieter Deaktiviert" not in page
    assert access.coordinator_ids(fachgruppe) == {fachgruppe_coordinator.pk}


def test_erasure_waits_for_an_active_coordinator_to_take_over(fachgruppe, fachgruppe_coordinator):
    from privacy.selectors import erasure_blockers

    retired = UserFactory(is_active=False)
    Membership.objects.create(space=fachgruppe, user=retired, role=Membership.Role.COORDINATOR)

    # The deactivated second coordinator does not count as the one who takes over.
    assert erasure_blockers(fachgruppe_coordinator) == [fachgruppe]


def test_staff_have_rings_around_their_own_circles_like_everyone_else(fachgruppe, inner, staff_member):
    assert access.spaces_around_own_circles(staff_member) == set()
    Membership.objects.create(space=inner, user=staff_member)
    access.forget(staff_member)

    # Their digests and notification defaults read these rings, as for any inner member.
    assert access.spaces_around_own_circles(staff_member) == {fachgruppe.pk}


def test_the_coordinators_of_a_space_are_its_active_coordinators_only(
    fachgruppe, inner, partner, fachgruppe_coordinator, inner_coordinator, deactivated
):
    assert set(access.coordinators_of(fachgruppe)) == {fachgruppe_coordinator}
    assert set(access.coordinators_of(inner)) == {inner_coordinator}


def test_the_coordinator_records_of_deactivated_accounts_stay_readable_on_request(
    fachgruppe, inner, fachgruppe_coordinator, deactivated
):
    # An erasure locks and checks them too: a deactivated last coordinator still has to hand over.
    on_record = access.coordinator_memberships(active_only=False)
    active = access.coordinator_memberships()

    assert set(on_record.values_list("user_id", "space_id")) == {
        (fachgruppe_coordinator.pk, fachgruppe.pk),
        (deactivated.pk, fachgruppe.pk),
        (deactivated.pk, inner.pk),
    }
    assert set(active.values_list("user_id", "space_id")) == {(fachgruppe_coordinator.pk, fachgruppe.pk)}
