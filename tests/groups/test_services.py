import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups import access, services
from groups.models import AudienceChange, JoinRequest, Membership, Thread
from tests.factories import UserFactory
from tests.factories.groups import ThreadFactory


def test_partner_asks_to_join_and_coordinator_approves(fachgruppe, outsider, coordinator):
    join_request = services.join_request_create(
        space=fachgruppe, user=outsider, message="Ich berate Bäckereien."
    )

    services.join_request_approve(join_request=join_request, by=coordinator)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == coordinator
    assert Membership.objects.filter(space=fachgruppe, user=outsider, role="member").exists()
    assert access.ring_space_ids(outsider) == {fachgruppe.pk}


def test_decline_needs_a_reason_and_keeps_it(fachgruppe, requester, coordinator):
    join_request = JoinRequest.objects.get(user=requester)

    with pytest.raises(ValidationError):
        services.join_request_decline(join_request=join_request, by=coordinator, reason="  ")
    services.join_request_decline(
        join_request=join_request, by=coordinator, reason="Kein Bezug zum Handwerk."
    )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.reason == "Kein Bezug zum Handwerk."
    assert not Membership.objects.filter(user=requester).exists()


def test_a_partner_cannot_decide_join_requests(fachgruppe, requester, partner):
    join_request = JoinRequest.objects.get(user=requester)

    with pytest.raises(PermissionDenied):
        services.join_request_approve(join_request=join_request, by=partner)


def test_a_request_is_decided_only_once(requester, coordinator):
    join_request = JoinRequest.objects.get(user=requester)
    services.join_request_approve(join_request=join_request, by=coordinator)

    with pytest.raises(ValidationError):
        services.join_request_decline(join_request=join_request, by=coordinator, reason="Doch nicht.")


def test_the_inner_circle_is_asked_for_only_from_inside_the_fachgruppe(inner, outsider):
    with pytest.raises(ValidationError, match="zuerst"):
        services.join_request_create(space=inner, user=outsider)


def test_a_second_pending_request_is_refused(fachgruppe, requester):
    with pytest.raises(ValidationError):
        services.join_request_create(space=fachgruppe, user=requester)


def test_invitation_into_the_inner_circle_admits_to_the_fachgruppe_too(inner, fachgruppe, coordinator):
    invitation = services.invitation_create(space=inner, email="Neu@Example.org", by=coordinator)
    newcomer = UserFactory(email="neu@example.org")

    services.invitation_accept(invitation=invitation, user=newcomer)

    assert access.ring_space_ids(newcomer) == {inner.pk, fachgruppe.pk}
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=newcomer)


def test_leaving_the_fachgruppe_leaves_the_inner_circle_too(fachgruppe, inner_member):
    services.membership_leave(space=fachgruppe, user=inner_member)

    assert access.ring_space_ids(inner_member) == frozenset()
    assert not Membership.objects.filter(user=inner_member).exists()


def test_the_last_coordinator_cannot_step_down(fachgruppe, coordinator):
    membership = Membership.objects.get(space=fachgruppe, user=coordinator)

    with pytest.raises(ValidationError):
        services.membership_set_role(membership=membership, role="member", by=coordinator)


def test_widening_goes_one_ring_outward_and_is_recorded(inner, fachgruppe, coordinator, partner, anonymous):
    thread = ThreadFactory(space=inner)
    assert not access.can_view(partner, thread)

    services.audience_widen(item=thread, by=coordinator)
    assert access.can_view(partner, thread)
    assert not access.can_view(anonymous, thread)

    services.audience_widen(item=thread, by=coordinator)
    assert access.can_view(anonymous, thread)

    changes = list(
        AudienceChange.objects.order_by("changed_at", "pk").values_list("from_audience", "to_audience")
    )
    assert changes == [(inner.pk, fachgruppe.pk), (fachgruppe.pk, None)]
    with pytest.raises(ValidationError):
        services.audience_widen(item=thread, by=coordinator)


def test_only_a_coordinator_of_the_home_space_widens(inner, inner_member):
    thread = ThreadFactory(space=inner)

    with pytest.raises(PermissionDenied):
        services.audience_widen(item=thread, by=inner_member)
    thread.refresh_from_db()
    assert thread.audience == inner


def test_moving_a_thread_outward_widens_it_and_inward_keeps_its_audience(inner, fachgruppe, coordinator):
    inner_thread = ThreadFactory(space=inner)
    outer_thread = ThreadFactory(space=fachgruppe)

    services.thread_move(thread=inner_thread, to_space=fachgruppe, by=coordinator)
    services.thread_move(thread=outer_thread, to_space=inner, by=coordinator)

    inner_thread.refresh_from_db()
    outer_thread.refresh_from_db()
    assert (inner_thread.space, inner_thread.audience) == (fachgruppe, fachgruppe)
    assert (outer_thread.space, outer_thread.audience) == (inner, fachgruppe)
    assert AudienceChange.objects.count() == 1


def test_editing_a_post_keeps_the_previous_text(fachgruppe, partner):
    thread = services.thread_create(
        space=fachgruppe, author=partner, title="Azubi-Marketing", body="Erste Fassung"
    )
    post = thread.posts.get()

    services.post_edit(post=post, user=partner, body="Zweite Fassung")

    post.refresh_from_db()
    assert post.body == "Zweite Fassung"
    assert post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == ["Erste Fassung"]


def test_nobody_replies_to_a_closed_thread(fachgruppe, partner, coordinator):
    thread = services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    services.thread_moderate(thread=thread, by=coordinator, closed=True)

    with pytest.raises(ValidationError):
        services.post_reply(thread=thread, author=partner, body="Noch etwas")


def test_outsiders_cannot_start_threads(fachgruppe, outsider):
    with pytest.raises(PermissionDenied):
        services.thread_create(space=fachgruppe, author=outsider, title="Hallo", body="Text")
    assert not Thread.objects.exists()
