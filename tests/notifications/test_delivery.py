"""From a change in a space to the right people on the right channel, once."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from groups import services
from groups.models import JoinRequest, Membership
from portal.notifications import delivery, journal
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event, Notification, Preference
from tests.factories import UserFactory
from tests.factories.groups import ThreadFactory


def _deliver_all() -> None:
    """What the worker does, synchronously: dispatch every pending event, send the immediate mails."""
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)


def _channels(kind: str) -> dict[int, str]:
    return dict(Delivery.objects.filter(event__kind=kind).values_list("user_id", "channel"))


def _notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(event__kind=kind).values_list("user_id", flat=True))


@pytest.fixture
def fachgruppe_member(fachgruppe):
    user = UserFactory()
    Membership.objects.create(space=fachgruppe, user=user)
    return user


def test_a_new_thread_reaches_the_ring_with_inner_members_in_the_weekly_digest(
    fachgruppe, partner, inner_member, coordinator, fachgruppe_member, outsider
):
    services.thread_create(space=fachgruppe, author=partner, title="Ausbildung 2027", body="Wer macht mit?")
    _deliver_all()

    assert _notified(Kind.THREAD_CREATED) == {inner_member.pk, coordinator.pk, fachgruppe_member.pk}
    assert _channels(Kind.THREAD_CREATED) == {
        inner_member.pk: Channel.WEEKLY,
        coordinator.pk: Channel.WEEKLY,
        fachgruppe_member.pk: Channel.DAILY,
    }
    assert mail.outbox == []


def test_an_inner_thread_reaches_nobody_outside_the_inner_ring(inner, inner_member, coordinator, partner):
    services.thread_create(space=inner, author=inner_member, title="Vertraulich", body="Nur für uns")
    _deliver_all()

    assert _notified(Kind.THREAD_CREATED) == {coordinator.pk}


def test_join_request_mails_the_coordinators_at_once_with_one_click_unsubscribe(
    fachgruppe, coordinator, outsider
):
    services.join_request_create(space=fachgruppe, user=outsider, message="Ich berate Bäckereien.")
    _deliver_all()

    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert (
        message.subject
        == f"[Fachgruppe Handwerk] Beitrittsanfrage von {outsider.name} für Fachgruppe Handwerk"
    )
    assert "Ich berate Bäckereien." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/notifications/unsubscribe/"
    )
    # The portal's own domain names the mail and the list it belongs to (RFC 5322, RFC 2919).
    assert re.fullmatch(r"<notification-\d+@testserver>", message.extra_headers["Message-ID"])
    assert message.extra_headers["List-Id"] == "Fachgruppe Handwerk <benachrichtigungen.testserver>"
    html = message.alternatives[0][0]
    assert "Ich berate Bäckereien." in html
    assert Notification.objects.get(user=coordinator).event.kind == Kind.JOIN_REQUESTED


def test_the_decision_reaches_the_requester_in_their_language(fachgruppe, requester, coordinator):
    requester.language = "en"
    requester.save(update_fields=["language"])
    join_request = JoinRequest.objects.get(user=requester)

    services.join_request_decline(
        join_request=join_request, by=coordinator, reason="Kein Bezug zum Handwerk."
    )
    _deliver_all()

    [message] = mail.outbox
    assert message.to == [requester.email]
    assert message.subject == "[Fachgruppe Handwerk] Your request for Fachgruppe Handwerk: declined"
    assert "Kein Bezug zum Handwerk." in message.body


def test_nothing_is_mailed_to_an_unverified_address(fachgruppe, coordinator, outsider):
    EmailAddress.objects.filter(user=coordinator).update(verified=False)

    services.join_request_create(space=fachgruppe, user=outsider)
    _deliver_all()

    assert mail.outbox == []
    assert _notified(Kind.JOIN_REQUESTED) == {coordinator.pk}


def test_someone_removed_before_delivery_gets_nothing(fachgruppe, partner, fachgruppe_member):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    Membership.objects.filter(user=fachgruppe_member).delete()
    _deliver_all()

    assert fachgruppe_member.pk not in _notified(Kind.THREAD_CREATED)


def test_someone_added_after_the_event_does_not_get_it(fachgruppe, partner):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    latecomer = UserFactory()
    Membership.objects.create(
        space=fachgruppe, user=latecomer, joined_at=timezone.now() + timedelta(seconds=1)
    )
    Membership.objects.filter(user=latecomer).update(joined_at=timezone.now() + timedelta(seconds=1))
    _deliver_all()

    assert latecomer.pk not in _notified(Kind.THREAD_CREATED)


def test_widening_notifies_exactly_the_newly_reached(
    inner, coordinator, inner_member, partner, fachgruppe_member
):
    thread = ThreadFactory(space=inner, author=inner_member)

    services.audience_widen(item=thread, by=coordinator)
    _deliver_all()

    assert _notified(Kind.WIDENED) == {partner.pk, fachgruppe_member.pk}


def test_preferences_choose_the_channel_per_kind_and_space(
    fachgruppe, partner, fachgruppe_member, inner_member
):
    Preference.objects.create(user=fachgruppe_member, kind=Kind.THREAD_CREATED, channel=Channel.OFF)
    Preference.objects.create(user=inner_member, kind=Kind.THREAD_CREATED, channel=Channel.DAILY)
    Preference.objects.create(
        user=inner_member, kind=Kind.THREAD_CREATED, space=fachgruppe, channel=Channel.IMMEDIATE
    )

    services.thread_create(space=fachgruppe, author=partner, title="Neu", body="Text")
    _deliver_all()

    assert fachgruppe_member.pk not in _notified(Kind.THREAD_CREATED)
    assert _channels(Kind.THREAD_CREATED)[inner_member.pk] == Channel.IMMEDIATE
    assert [m.to for m in mail.outbox] == [[inner_member.email]]


def test_mentioned_people_are_told_at_once(fachgruppe, partner, inner_member):
    inner_member.name = "Matthias Brenner"
    inner_member.save(update_fields=["name"])

    services.thread_create(
        space=fachgruppe, author=partner, title="Frage", body="@Matthias Brenner, was meinen Sie?"
    )
    _deliver_all()

    assert _notified(Kind.MENTIONED) == {inner_member.pk}
    assert [m.to for m in mail.outbox] == [[inner_member.email]]


def test_dispatching_and_sending_twice_changes_nothing(fachgruppe, coordinator, outsider):
    services.join_request_create(space=fachgruppe, user=outsider)
    event = Event.objects.get()

    batches = delivery.dispatch(event.pk)
    assert delivery.dispatch(event.pk) == []
    delivery.send_immediate(batches[0])
    delivery.send_immediate(batches[0])

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_recovery_tells_sent_from_unsent_after_a_worker_died(fachgruppe, coordinator, outsider):
    services.join_request_create(space=fachgruppe, user=outsider)
    second = UserFactory()
    Membership.objects.create(space=fachgruppe, user=second, role=Membership.Role.COORDINATOR)
    [batch] = delivery.dispatch(Event.objects.get().pk)
    # A worker claimed the batch, sent the first mail and died before it could record anything.
    Delivery.objects.filter(pk__in=batch).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    journal.note_sent(batch[0])

    work = delivery.recover()

    assert Delivery.objects.get(pk=batch[0]).status == Delivery.Status.SENT
    assert Delivery.objects.get(pk=batch[1]).status == Delivery.Status.PENDING
    Delivery.objects.filter(pk=batch[1]).update(created_at=timezone.now() - timedelta(hours=1))
    assert delivery.recover()["mail_batches"] == [[batch[1]]]
    assert work["events"] == []


def test_replay_hands_out_events_the_broker_never_got(fachgruppe, partner):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    event = Event.objects.get()
    assert delivery.recover()["events"] == []

    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert delivery.recover()["events"] == [event.pk]


def test_each_recipient_is_greeted_by_name_with_their_own_unsubscribe_link(fachgruppe, coordinator, outsider):
    second = UserFactory(name="Anna Berg & Söhne")
    Membership.objects.create(space=fachgruppe, user=second, role=Membership.Role.COORDINATOR)

    services.join_request_create(space=fachgruppe, user=outsider)
    _deliver_all()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    first_mail, second_mail = by_recipient[coordinator.email], by_recipient[second.email]
    assert f"Guten Tag {coordinator.name}," in first_mail.body
    assert "Guten Tag Anna Berg & Söhne," in second_mail.body
    assert "Guten Tag Anna Berg &amp; Söhne," in second_mail.alternatives[0][0]
    links = {m.extra_headers["List-Unsubscribe"] for m in mail.outbox}
    assert len(links) == 2
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe"][1:-1] in message.body


def test_published_information_waits_for_the_weekly_digest_of_every_member():
    from portal.notifications.audience import default_channel

    assert default_channel(Kind.INFORMATION_PUBLISHED, from_inner_circle=False) == Channel.WEEKLY
    assert default_channel(Kind.INFORMATION_PUBLISHED, from_inner_circle=True) == Channel.WEEKLY
    assert default_channel(Kind.THREAD_CREATED, from_inner_circle=False) == Channel.DAILY
