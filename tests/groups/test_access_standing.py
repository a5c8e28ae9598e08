"""The rule book's cached standing: shared reads are keyed by it, and a change of membership is seen."""

from groups import access
from groups.models import Membership
from tests.factories.groups import ThreadFactory


def test_two_partners_share_a_standing_and_an_inner_member_does_not(partner, inner_member, fachgruppe):
    from tests.factories import UserFactory

    other_partner = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other_partner)

    assert access.standing_key(partner) == access.standing_key(other_partner)
    assert access.standing_key(partner) != access.standing_key(inner_member)


def test_the_public_and_a_deactivated_account_share_the_public_standing(anonymous, deactivated):
    assert access.standing_key(anonymous) == access.standing_key(deactivated) == "public"


def test_a_new_member_sees_the_inner_ring_once_their_standing_is_forgotten(partner, inner):
    inner_thread = ThreadFactory(space=inner)
    assert not access.can_view(partner, inner_thread)

    Membership.objects.create(space=inner, user=partner)
    access.forget(partner)

    assert access.can_view(partner, inner_thread)


def test_a_page_asking_the_rule_book_many_times_reads_the_standing_once(
    django_assert_num_queries, inner_member, fachgruppe, inner
):
    with django_assert_num_queries(1):
        for _ in range(3):
            assert access.ring_space_ids(inner_member) == {fachgruppe.pk, inner.pk}
            assert access.can_see_space_content(inner_member, inner)
            assert not access.can_coordinate(inner_member, inner)
            assert access.is_member(inner_member, fachgruppe)


def test_coordinating_a_space_is_a_standing_of_its_own(partner, fachgruppe_coordinator):
    # Same rings, but the coordinator sees the projects under review: they must not share reads.
    assert access.ring_space_ids(partner) == access.ring_space_ids(fachgruppe_coordinator)
    assert access.standing_key(partner) != access.standing_key(fachgruppe_coordinator)


def test_staff_do_not_share_the_standing_of_a_coordinator_of_every_space(coordinator, staff):
    from groups.models import Space

    # The coordinator fixture coordinates every space there is, yet staff read more (the audit
    # entries of no space), so their shared reads are kept apart.
    assert access.coordinated_space_ids(coordinator) == set(Space.objects.values_list("pk", flat=True))
    assert access.ring_space_ids(coordinator) == access.ring_space_ids(staff)
    assert access.standing_key(coordinator) != access.standing_key(staff)
