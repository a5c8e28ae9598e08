"""Removing, demoting and leaving: never a space without a coordinator, a coordinator acts only
on the spaces they coordinate, and every change is recorded and told to the people it concerns.

Each test names the ring the acting coordinator belongs to: both rings (`coordinator`), the
Fachgruppe only (`fachgruppe_coordinator`, pruefung@ of the demo) or the inner circle only
(`inner_coordinator`).
"""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from groups import services
from groups.models import Membership, MembershipChange
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from tests.outbox import deliver_all

pytestmark = pytest.mark.django_db


def _memberships(user) -> dict[str, str]:
    return dict(Membership.objects.filter(user=user).values_list("space__slug", "role"))


def _changes() -> list[tuple]:
    return list(
        MembershipChange.objects.order_by("pk").values_list(
            "space__slug", "person_id", "action", "role_before", "role_after", "changed_by_id", "via__slug"
        )
    )


def _post_remove(client, *, by, space, person):
    client.force_login(by)
    url = reverse("groups:member_update", kwargs={"slug": space.slug, "user_id": person.pk})
    response = client.post(url, {"action": "remove"})
    return response, [str(message) for message in get_messages(response.wsgi_request)]


def test_a_fachgruppe_coordinator_cannot_strip_the_inner_circle_of_its_only_coordinator(
    client, fachgruppe, inner, coordinator, fachgruppe_coordinator
):
    """Issue 10, finding 2: pruefung@ removing koordination@ from the Fachgruppe."""
    response, messages = _post_remove(client, by=fachgruppe_coordinator, space=fachgruppe, person=coordinator)

    assert response.status_code == 302
    assert messages == [
        f"{coordinator.name} ist auch Mitglied in „Fachkräftezentren Handwerk“, das Sie nicht koordinieren. "
        f"Bitte wenden Sie sich an die Koordination dort: erst wenn {coordinator.name} dort nicht mehr "
        "Mitglied ist, können Sie die Person aus „Fachgruppe Handwerk“ entfernen."
    ]
    assert _memberships(coordinator) == {fachgruppe.slug: "coordinator", inner.slug: "coordinator"}
    assert _changes() == []
    assert not Event.objects.exists()


def test_a_fachgruppe_coordinator_cannot_remove_an_inner_member_through_the_cascade(
    fachgruppe, inner, inner_member, coordinator, fachgruppe_coordinator
):
    membership = Membership.objects.get(space=fachgruppe, user=inner_member)

    with pytest.raises(ValidationError, match="Fachkräftezentren Handwerk"):
        services.membership_remove(membership=membership, by=fachgruppe_coordinator)

    assert _memberships(inner_member) == {fachgruppe.slug: "member", inner.slug: "member"}


def test_a_fachgruppe_coordinator_removes_a_partner_and_the_partner_is_told_by_mail(
    fachgruppe, partner, fachgruppe_coordinator, coordinator
):
    membership = Membership.objects.get(space=fachgruppe, user=partner)

    services.membership_remove(membership=membership, by=fachgruppe_coordinator)
    deliver_all()

    assert _memberships(partner) == {}
    assert _changes() == [
        (fachgruppe.slug, partner.pk, "removed", "member", "", fachgruppe_coordinator.pk, None)
    ]
    [message] = mail.outbox
    assert message.to == [partner.email]
    assert message.subject == "[Fachgruppe Handwerk] Sie wurden aus dem Raum Fachgruppe Handwerk entfernt"
    assert (
        f"{fachgruppe_coordinator.name} hat Sie aus dem Raum „Fachgruppe Handwerk“ entfernt. "
        "Sie sehen dessen Inhalte nicht mehr."
    ) in message.body


def test_a_coordinator_of_both_rings_removes_an_inner_member_from_both_and_says_so(
    fachgruppe, inner, inner_member, coordinator
):
    membership = Membership.objects.get(space=fachgruppe, user=inner_member)

    services.membership_remove(membership=membership, by=coordinator)
    deliver_all()

    assert _memberships(inner_member) == {}
    assert sorted(_changes()) == sorted(
        [
            (fachgruppe.slug, inner_member.pk, "removed", "member", "", coordinator.pk, None),
            (inner.slug, inner_member.pk, "removed", "member", "", coordinator.pk, fachgruppe.slug),
        ]
    )
    [message] = mail.outbox
    assert "Damit endet auch Ihre Mitgliedschaft in: Fachkräftezentren Handwerk." in message.body


def test_an_inner_coordinator_acts_on_the_inner_circle_only(
    client, fachgruppe, inner, inner_member, inner_coordinator, coordinator
):
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            membership=Membership.objects.get(space=fachgruppe, user=inner_member), by=inner_coordinator
        )
    response, _messages = _post_remove(client, by=inner_coordinator, space=fachgruppe, person=inner_member)
    assert response.status_code == 404

    services.membership_remove(
        membership=Membership.objects.get(space=inner, user=inner_member), by=inner_coordinator
    )

    assert _memberships(inner_member) == {fachgruppe.slug: "member"}
    assert _changes() == [(inner.slug, inner_member.pk, "removed", "member", "", inner_coordinator.pk, None)]


def test_not_even_staff_can_remove_the_last_coordinator_of_an_inner_space(
    fachgruppe, inner, coordinator, fachgruppe_coordinator, staff_member
):
    # The Fachgruppe keeps a coordinator, the inner circle would have none.
    with pytest.raises(ValidationError, match="einzige Koordination von „Fachkräftezentren Handwerk“"):
        services.membership_remove(
            membership=Membership.objects.get(space=fachgruppe, user=coordinator), by=staff_member
        )

    assert _memberships(coordinator) == {fachgruppe.slug: "coordinator", inner.slug: "coordinator"}


def test_a_coordinator_of_both_rings_can_be_removed_once_each_ring_keeps_another(
    fachgruppe, inner, coordinator, fachgruppe_coordinator, inner_coordinator, staff_member
):
    services.membership_remove(
        membership=Membership.objects.get(space=fachgruppe, user=coordinator), by=staff_member
    )

    assert _memberships(coordinator) == {}
    assert set(Membership.objects.filter(role="coordinator").values_list("user_id", "space__slug")) == {
        (fachgruppe_coordinator.pk, fachgruppe.slug),
        (inner_coordinator.pk, inner.slug),
    }


def test_the_only_coordinator_of_a_ring_cannot_leave_it_or_a_ring_around_it(
    client, fachgruppe, inner, inner_coordinator, fachgruppe_coordinator
):
    with pytest.raises(ValidationError, match="einzige Koordination von „Fachkräftezentren Handwerk“"):
        services.membership_leave(space=fachgruppe, user=inner_coordinator)

    client.force_login(inner_coordinator)
    response = client.post(reverse("groups:space_leave", kwargs={"slug": inner.slug}))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Sie sind die einzige Koordination von „Fachkräftezentren Handwerk“. Bitte übertragen Sie die "
        "Koordination zuerst einer anderen Person."
    ]
    assert _memberships(inner_coordinator) == {fachgruppe.slug: "member", inner.slug: "coordinator"}
    assert _changes() == []


def test_leaving_is_recorded_and_told_to_the_coordinators_of_every_space_left(
    fachgruppe, inner, inner_member, fachgruppe_coordinator, inner_coordinator
):
    services.membership_leave(space=fachgruppe, user=inner_member)
    deliver_all()

    assert _memberships(inner_member) == {}
    assert sorted(_changes()) == sorted(
        [
            (fachgruppe.slug, inner_member.pk, "left", "member", "", inner_member.pk, None),
            (inner.slug, inner_member.pk, "left", "member", "", inner_member.pk, fachgruppe.slug),
        ]
    )
    told = {(m.to[0], m.subject) for m in mail.outbox}
    assert told == {
        (
            fachgruppe_coordinator.email,
            f"[Fachgruppe Handwerk] {inner_member.name} hat den Raum Fachgruppe Handwerk verlassen",
        ),
        (
            inner_coordinator.email,
            f"[Fachgruppe Handwerk] {inner_member.name} hat den Raum Fachkräftezentren Handwerk verlassen",
        ),
    }


def test_promoting_and_demoting_are_recorded_and_told_to_the_person(
    fachgruppe, partner, fachgruppe_coordinator, coordinator
):
    membership = Membership.objects.get(space=fachgruppe, user=partner)

    services.membership_set_role(membership=membership, role="coordinator", by=fachgruppe_coordinator)
    services.membership_set_role(membership=membership, role="member", by=coordinator)
    deliver_all()

    promoted_by, demoted_by = fachgruppe_coordinator.pk, coordinator.pk
    assert _changes() == [
        (fachgruppe.slug, partner.pk, "role_changed", "member", "coordinator", promoted_by, None),
        (fachgruppe.slug, partner.pk, "role_changed", "coordinator", "member", demoted_by, None),
    ]
    assert sorted(m.subject for m in mail.outbox) == [
        "[Fachgruppe Handwerk] Ihre Rolle in Fachgruppe Handwerk: Koordination",
        "[Fachgruppe Handwerk] Ihre Rolle in Fachgruppe Handwerk: Mitglied",
    ]
    assert all(m.to == [partner.email] for m in mail.outbox)
    assert any("bisher Mitglied, jetzt Koordination." in m.body for m in mail.outbox)
    assert set(Event.objects.values_list("kind", flat=True)) == {Kind.ROLE_CHANGED}


def test_the_last_coordinator_of_a_single_ring_cannot_step_down_and_others_cannot_demote_across_rings(
    inner, inner_coordinator, fachgruppe_coordinator
):
    membership = Membership.objects.get(space=inner, user=inner_coordinator)

    with pytest.raises(ValidationError, match="mindestens eine Koordination"):
        services.membership_set_role(membership=membership, role="member", by=inner_coordinator)
    with pytest.raises(PermissionDenied):
        services.membership_set_role(membership=membership, role="member", by=fachgruppe_coordinator)

    assert Membership.objects.get(pk=membership.pk).role == "coordinator"
    assert _changes() == []
