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
