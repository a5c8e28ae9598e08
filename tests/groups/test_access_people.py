"""The rule book on people: who is told, who may be mentioned, who erases whom, who reads the audit log."""

import datetime

import pytest
from django.utils import timezone

from groups import access
from groups.models import Membership
from portal.audit.models import AuditEntry
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories import UserFactory
from tests.factories.groups import SpaceFactory, ThreadFactory


@pytest.fixture
def deeper(inner):
    """A working group inside the inner circle."""
    return SpaceFactory(parent=inner)


@pytest.fixture
def sibling(fachgruppe):
    """A working group inside the Fachgruppe next to the inner circle."""
    return SpaceFactory(parent=fachgruppe)


def test_the_tree_below_a_space_is_the_space_and_everything_inside_it(fachgruppe, inner, deeper, sibling):
    assert access.space_and_descendant_ids(fachgruppe) == {fachgruppe.pk, inner.pk, deeper.pk, sibling.pk}
    assert access.space_and_descendant_ids(inner) == {inner.pk, deeper.pk}
    assert access.space_and_descendant_ids(deeper) == {deeper.pk}


def test_a_notification_to_a_ring_reaches_the_active_people_inside_it(
    fachgruppe, inner, deeper, partner, inner_member, deactivated, outsider
):
    member_of_deeper = UserFactory()
    Membership.objects.create(space=deeper, user=member_of_deeper)

    assert access.audience_member_ids(inner) == {inner_member.pk, member_of_deeper.pk}
    assert {partner.pk, inner_member.pk, member_of_deeper.pk} <= access.audience_member_ids(fachgruppe)
    assert deactivated.pk not in access.audience_member_ids(fachgruppe)
    assert outsider.pk not in access.audience_member_ids(fachgruppe)
    # What is published reaches the public through feeds, never through this door.
    assert access.audience_member_ids(None) == set()


def test_a_notification_about_the_past_reaches_only_who_was_inside_then(fachgruppe, partner):
    newcomer = UserFactory()
    Membership.objects.create(space=fachgruppe, user=newcomer)
    moment = timezone.now()
    Membership.objects.filter(user=partner).update(joined_at=moment - datetime.timedelta(days=1))
    Membership.objects.filter(user=newcomer).update(joined_at=moment + datetime.timedelta(minutes=1))

    told = access.audience_member_ids(fachgruppe, joined_before=moment)

    assert partner.pk in told
    assert newcomer.pk not in told


def test_a_post_mentions_the_people_who_can_read_it(
    fachgruppe, inner, partner, inner_member, outsider, deactivated
):
    widened = ThreadFactory(space=inner, audience=fachgruppe)
    inner_thread = ThreadFactory(space=inner)
    public_thread = ThreadFactory(space=inner, audience=None)

    assert access.mention_ring(widened) == fachgruppe
    assert access.mention_ring(inner_thread) == inner
    assert access.mention_ring(public_thread) == inner
    in_fachgruppe = set(access.mentionable_people(fachgruppe))
    assert {partner, inner_member} <= in_fachgruppe
    assert outsider not in in_fachgruppe
    assert deactivated not in in_fachgruppe
    assert partner not in set(access.mentionable_people(inner))
    assert inner_member in set(access.mentionable_people(inner))


def test_the_coordinators_told_of_a_space_are_its_active_coordinators(
    fachgruppe, inner, coordinator, fachgruppe_coordinator, inner_coordinator, deactivated, partner
):
    assert access.coordinator_ids(fachgruppe) == {coordinator.pk, fachgruppe_coordinator.pk}
    assert access.coordinator_ids(inner) == {coordinator.pk, inner_coordinator.pk}


def test_leaving_a_space_ends_the_memberships_in_it_and_inside_it_only(
    fachgruppe, inner, deeper, inner_member
):
    Membership.objects.create(space=deeper, user=inner_member)
    other = UserFactory()
    Membership.objects.create(space=inner, user=other)

    ended_by_leaving_inner = access.memberships_ended_by_leaving(inner_member, inner)
    ended_by_leaving_fachgruppe = access.memberships_ended_by_leaving(inner_member, fachgruppe)

    assert {m.space_id for m in ended_by_leaving_inner} == {inner.pk, deeper.pk}
    assert {m.space_id for m in ended_by_leaving_fachgruppe} == {fachgruppe.pk, inner.pk, deeper.pk}
    assert {m.user_id for m in ended_by_leaving_fachgruppe} == {inner_member.pk}


def test_a_coordinator_acts_only_on_the_spaces_they_coordinate(
    fachgruppe, inner, inner_member, inner_coordinator
):
    memberships = list(Membership.objects.filter(user=inner_member))

    beyond = access.spaces_beyond_their_coordination(inner_coordinator, memberships)

    assert beyond == [fachgruppe]


# --- Erasure on request -------------------------------------------------------


def test_staff_erase_any_account_but_their_own_and_none_twice(staff, partner, outsider, coordinator):
    erased = UserFactory()
    erased.erased_at = timezone.now()
    erased.save()
    other_staff = UserFactory(is_staff=True)
    asked = [staff.pk, partner.pk, outsider.pk, coordinator.pk, erased.pk, other_staff.pk]

    assert access.erasable_account_ids(staff, asked) == {
        partner.pk,
        outsider.pk,
        coordinator.pk,
        other_staff.pk,
    }


def test_a_coordinator_erases_only_people_wholly_within_their_spaces(
    fachgruppe, inner, sibling, coordinator, partner, inner_member, outsider, fachgruppe_coordinator
):
    beyond_them = UserFactory()
    Membership.objects.create(space=fachgruppe, user=beyond_them)
    Membership.objects.create(space=sibling, user=beyond_them)
    staff_member = UserFactory(is_staff=True)
    Membership.objects.create(space=fachgruppe, user=staff_member)
    asked = [partner.pk, inner_member.pk, outsider.pk, beyond_them.pk, staff_member.pk, coordinator.pk]

    assert access.erasable_account_ids(coordinator, asked) == {partner.pk, inner_member.pk}
    # Of the Fachgruppe only: a membership of the inner circle lies beyond their coordination.
    assert access.erasable_account_ids(fachgruppe_coordinator, asked) == {partner.pk}
    assert access.can_erase_account(coordinator, partner)
    assert not access.can_erase_account(coordinator, outsider)
    assert not access.can_erase_account(fachgruppe_coordinator, inner_member)


def test_nobody_else_erases_anyone(partner, inner_member, deactivated, anonymous):
    assert access.erasable_account_ids(partner, [inner_member.pk]) == set()
    assert access.erasable_account_ids(deactivated, [partner.pk, inner_member.pk]) == set()
    assert access.erasable_account_ids(anonymous, [partner.pk]) == set()


# --- Audit log ----------------------------------------------------------------


@pytest.fixture
def entries(fachgruppe, inner):
    return {
        "fachgruppe": AuditEntry.objects.create(action="member_left", space=fachgruppe),
        "inner": AuditEntry.objects.create(action="member_left", space=inner),
        "no space": AuditEntry.objects.create(action="account_erased"),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", set()),
        ("outsider", set()),
        ("partner", set()),
        ("deactivated", set()),
        ("fachgruppe_coordinator", {"fachgruppe"}),
        ("inner_coordinator", {"inner"}),
        ("coordinator", {"fachgruppe", "inner"}),
        ("staff", {"fachgruppe", "inner", "no space"}),
    ],
)
def test_the_audit_log_shows_the_entries_of_the_spaces_one_coordinates(entries, request, role, expected):
    person = request.getfixturevalue("staff_member" if role == "staff" else role)

    visible = set(access.visible_audit_entries(AuditEntry.objects.all(), person).values_list("pk", flat=True))

    assert {name for name, entry in entries.items() if entry.pk in visible} == expected
    assert access.can_read_audit_log(person) == bool(expected)


@pytest.fixture
def events(fachgruppe, inner):
    def event(audience, **where):
        return Event.objects.create(kind=Kind.THREAD_CREATED, audience=audience, **where)

    return {
        "fachgruppe's ring": event(Event.Audience.RING, ring=fachgruppe, space=fachgruppe),
        "inner ring": event(Event.Audience.RING, ring=inner, space=inner),
        "newly reached inner ring": event(Event.Audience.NEWLY_REACHED, ring=inner, space=inner),
        "inner coordination": event(Event.Audience.COORDINATORS, space=inner),
        "fachgruppe's coordination": event(Event.Audience.COORDINATORS, space=fachgruppe),
        "named people": event(Event.Audience.PEOPLE, space=inner),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("partner", {"fachgruppe's ring", "named people"}),
        ("deactivated", {"named people"}),
        (
            "inner_coordinator",
            {
                "fachgruppe's ring",
                "inner ring",
                "newly reached inner ring",
                "inner coordination",
                "named people",
            },
        ),
    ],
)
def test_an_event_stays_readable_while_one_is_inside_its_ring_or_coordinates_its_space(
    events, request, role, expected
):
    person = request.getfixturevalue(role)
    for event in events.values():
        Notification.objects.create(user=person, event=event)

    readable = set(Event.objects.filter(access.readable_events(person)).values_list("pk", flat=True))
    # The same rule from a person's notifications, as the notification centre asks it.
    through_notifications = set(
        Notification.objects.filter(access.readable_events(person, prefix="event__")).values_list(
            "event_id", flat=True
        )
    )

    assert {name for name, event in events.items() if event.pk in readable} == expected
    assert through_notifications == readable
