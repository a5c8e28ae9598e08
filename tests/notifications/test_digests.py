"""The daily and weekly digests: one mail per person, grouped by space, only what they may still see."""

import time
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups import services
from groups.models import Membership, Thread
from portal.celery import app
from portal.notifications import delivery, digests, journal
from portal.notifications.kinds import Channel
from portal.notifications.models import Delivery, Event
from portal.notifications.tasks import send_daily_digests
from tests.factories import UserFactory
from tests.factories.groups import SpaceFactory


def _deliver_all() -> None:
    """What the worker does with events, synchronously: dispatch them, send the immediate mails."""
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)


def _run_digests(channel: Channel) -> None:
    """What beat and the workers do at 07:00: one digest per person who is due."""
    for user_id in digests.due_user_ids(channel):
        digests.send_digest(channel=channel, user_id=user_id)


def _mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def _html(message) -> str:
    return message.alternatives[0][0]


@pytest.fixture
def member(fachgruppe):
    """A member of the Fachgruppe only: its activity comes in the daily digest."""
    user = UserFactory(name="Dora Daily")
    Membership.objects.create(space=fachgruppe, user=user)
    return user


@pytest.fixture
def workshop(member, partner):
    """A second space of its own that the member and the partner work in."""
    space = SpaceFactory(name="Arbeitskreis Ausbildung", slug="arbeitskreis-ausbildung")
    Membership.objects.create(space=space, user=member)
    Membership.objects.create(space=space, user=partner)
    return space


def test_one_mail_per_person_grouped_by_space_with_the_newest_first(fachgruppe, workshop, partner, member):
    # Later than the memberships: events reach only people who were inside when they happened.
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False) as clock:
        thread = services.thread_create(
            space=fachgruppe, author=partner, title="Ausbildung 2027", body="Wer macht mit?"
        )
        clock.shift(timedelta(hours=1))
        services.thread_create(
            space=workshop, author=partner, title="Prüfungstermine", body="Bitte eintragen."
        )
        clock.shift(timedelta(hours=1))
        services.post_reply(thread=thread, author=partner, body="Die Kammer ist dabei.")
        _deliver_all()

        _run_digests(Channel.DAILY)

    [message] = _mails_to(member)
    assert message.subject == "[Fachgruppe Handwerk] Ihr täglicher Überblick: 3 Neuigkeiten"
    body = message.body
    assert body.index("== Arbeitskreis Ausbildung ==") < body.index("== Fachgruppe Handwerk ==")
    fachgruppe_part = body[body.index("== Fachgruppe Handwerk ==") :]
    assert fachgruppe_part.index("Die Kammer ist dabei.") < fachgruppe_part.index("Wer macht mit?")
    assert f"http://testserver{thread.get_absolute_url()}#post-" in body
    assert partner.name in body
    html = _html(message)
    assert ">Arbeitskreis Ausbildung</a></h2>" in html
    assert "Prüfungstermine" in html
    assert set(Delivery.objects.filter(user=member).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }


def test_nothing_is_sent_when_nothing_is_new(fachgruppe, partner, member):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    _deliver_all()
    _run_digests(Channel.DAILY)
    mail.outbox.clear()

    _run_digests(Channel.DAILY)

    assert mail.outbox == []
    assert digests.due_user_ids(Channel.DAILY) == []


def test_inner_members_get_the_fachgruppes_activity_weekly_with_an_invitation_to_take_part(
    fachgruppe, partner, member, inner_member, coordinator
):
    services.thread_create(space=fachgruppe, author=partner, title="Leitfaden Fachkräfte", body="Entwurf")
    _deliver_all()

    _run_digests(Channel.DAILY)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Sie arbeiten in einem Kreis innerhalb von" not in mail.outbox[0].body
    mail.outbox.clear()

    _run_digests(Channel.WEEKLY)

    [to_inner] = _mails_to(inner_member)
    assert to_inner.subject == "[Fachgruppe Handwerk] Ihr wöchentlicher Überblick: 1 Neuigkeit"
    assert "Leitfaden Fachkräfte" in to_inner.body
    assert "Sie arbeiten in einem Kreis innerhalb von Fachgruppe Handwerk mit." in to_inner.body
    assert f'<a href="http://testserver{fachgruppe.get_absolute_url()}">Zu Fachgruppe Handwerk</a>' in (
        _html(to_inner)
    )
    # The coordinator runs the Fachgruppe: the digest does not invite them into it.
    [to_coordinator] = _mails_to(coordinator)
    assert "Sie arbeiten in einem Kreis innerhalb von" not in to_coordinator.body


def test_the_invitation_to_take_part_follows_the_rule_book_on_who_runs_the_fachgruppe(
    fachgruppe, inner, partner, inner_coordinator, staff_member
):
    """The coordinator of the inner circle alone is invited into the Fachgruppe; site staff run
    every space (groups.access), so their digest invites them nowhere, as for its coordinators."""
    Membership.objects.create(space=fachgruppe, user=staff_member)
    Membership.objects.create(space=inner, user=staff_member)
    services.thread_create(space=fachgruppe, author=partner, title="Leitfaden Fachkräfte", body="Entwurf")
    _deliver_all()

    _run_digests(Channel.WEEKLY)

    [to_inner_coordinator] = _mails_to(inner_coordinator)
    assert "Sie arbeiten in einem Kreis innerhalb von Fachgruppe Handwerk mit." in to_inner_coordinator.body
    [to_staff] = _mails_to(staff_member)
    assert "Leitfaden Fachkräfte" in to_staff.body
    assert "Sie arbeiten in einem Kreis innerhalb von" not in to_staff.body


def test_the_digest_speaks_the_persons_language(fachgruppe, partner, member):
    member.language = "en"
    member.save(update_fields=["language"])
    german = UserFactory()
    Membership.objects.create(space=fachgruppe, user=german)
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    _deliver_all()

    _run_digests(Channel.DAILY)

    [english_mail] = _mails_to(member)
    [german_mail] = _mails_to(german)
    assert "New discussion" in english_mail.body
    assert "Fachgruppe Handwerk of the Offensive Mittelstand" in english_mail.body
    assert "New discussion" not in german_mail.body
    assert "Neue Diskussion" in german_mail.body


def test_the_one_click_unsubscribe_from_the_mail_works_without_cookies_and_stops_the_digest(
    fachgruppe, partner, member
):
    services.thread_create(space=fachgruppe, author=partner, title="Erste", body="Text")
    _deliver_all()
    _run_digests(Channel.DAILY)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/notifications/unsubscribe/")
    mail_client = Client(enforce_csrf_checks=True)

    first = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    second = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert "Abbestellt" in first.content.decode()
    mail.outbox.clear()
    services.thread_create(space=fachgruppe, author=partner, title="Zweite", body="Text")
    _deliver_all()
    _run_digests(Channel.DAILY)
    _run_digests(Channel.WEEKLY)
    assert mail.outbox == []


def test_a_person_removed_from_a_space_before_the_digest_does_not_see_its_items(
    fachgruppe, workshop, partner, member
):
    services.thread_create(space=fachgruppe, author=partner, title="Bleibt sichtbar", body="Text")
    services.thread_create(space=workshop, author=partner, title="Nicht mehr für Sie", body="Geheim")
    _deliver_all()
    Membership.objects.filter(user=member, space=workshop).delete()

    _run_digests(Channel.DAILY)

    [message] = _mails_to(member)
    assert "Bleibt sichtbar" in message.body
    assert "Nicht mehr für Sie" not in message.body + _html(message)
    assert "Arbeitskreis Ausbildung" not in message.body
    assert Delivery.objects.get(user=member, event__space=workshop).status == Delivery.Status.SKIPPED


def test_an_item_moved_out_of_the_persons_sight_is_left_out(fachgruppe, inner, partner, member, coordinator):
    thread = services.thread_create(space=fachgruppe, author=partner, title="Umgezogen", body="Text")
    _deliver_all()
    Thread.objects.filter(pk=thread.pk).update(space=inner, audience=inner)

    _run_digests(Channel.DAILY)

    assert _mails_to(member) == []
    assert Delivery.objects.get(user=member).status == Delivery.Status.SKIPPED


def test_nothing_is_mailed_to_an_address_that_is_no_longer_verified(fachgruppe, partner, member):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    _deliver_all()
    EmailAddress.objects.filter(user=member).update(verified=False)

    _run_digests(Channel.DAILY)

    assert _mails_to(member) == []
    assert Delivery.objects.get(user=member).status == Delivery.Status.SKIPPED


def test_recovery_after_a_worker_died_neither_repeats_nor_loses_a_digest(fachgruppe, partner, member):
    other = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other)
    services.thread_create(space=fachgruppe, author=partner, title="Eins", body="Text")
    services.thread_create(space=fachgruppe, author=partner, title="Zwei", body="Text")
    _deliver_all()
    long_ago = timezone.now() - timedelta(hours=1)
    # Both digests were claimed; the member's mail left and one of its two rows was noted
    # before the worker died; the other person's mail never left.
    Delivery.objects.filter(channel=Channel.DAILY).update(status=Delivery.Status.SENDING, claimed_at=long_ago)
    journal.note_sent(Delivery.objects.filter(user=member).order_by("pk").first().pk)

    work = delivery.recover()

    assert set(Delivery.objects.filter(user=member).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }
    assert set(Delivery.objects.filter(user=other).values_list("status", flat=True)) == {
        Delivery.Status.PENDING
    }
    assert work["digests"] == [(Channel.DAILY, other.pk)]
    assert work["mail_batches"] == []
    Delivery.objects.filter(user=other).update(created_at=long_ago)
    assert delivery.recover()["mail_batches"] == []

    digests.send_digest(channel=Channel.DAILY, user_id=other.pk)

    assert [m.to for m in mail.outbox] == [[other.email]]
    assert "Eins" in mail.outbox[0].body
    assert "Zwei" in mail.outbox[0].body


def test_a_failed_send_puts_the_digest_back_into_the_queue(fachgruppe, partner, member, settings):
    services.thread_create(space=fachgruppe, author=partner, title="Frage", body="Text")
    _deliver_all()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9},
        }
    }

    with pytest.raises(ConnectionRefusedError):
        digests.send_digest(channel=Channel.DAILY, user_id=member.pk)

    assert Delivery.objects.get(user=member).status == Delivery.Status.PENDING
    assert digests.due_user_ids(Channel.DAILY) == [member.pk]


def test_the_queries_of_a_digest_do_not_grow_with_its_items(fachgruppe, partner, member):
    ContentType.objects.get_for_model(Thread)

    def digest_with(items: int) -> int:
        for number in range(items):
            services.thread_create(space=fachgruppe, author=partner, title=f"Thema {number}", body="Text")
        _deliver_all()
        with CaptureQueriesContext(connection) as queries:
            assert digests.send_digest(channel=Channel.DAILY, user_id=member.pk) == items
        return len(queries)

    digest_with(1)  # creates the unsubscribe token once

    assert digest_with(1) == digest_with(3)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_daily_digest_runs_end_to_end_on_a_real_worker(celery_worker, fachgruppe, partner, member):
    mail.outbox.clear()
    services.thread_create(space=fachgruppe, author=partner, title="Über den Worker", body="Text")
    assert _wait_until(lambda: Delivery.objects.filter(user=member, channel=Channel.DAILY).exists())

    send_daily_digests.delay()

    assert _wait_until(lambda: _mails_to(member))
    [message] = _mails_to(member)
    assert "Über den Worker" in message.body
    assert _wait_until(
        lambda: Delivery.objects.get(user=member, channel=Channel.DAILY).status == Delivery.Status.SENT
    )


def _wait_until(condition, *, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def test_beat_runs_the_daily_digest_at_seven_and_the_weekly_on_mondays_at_seven_berlin_time():
    schedule = app.conf.beat_schedule
    daily = schedule["notifications.send_daily_digests"]
    weekly = schedule["notifications.send_weekly_digests"]

    assert (daily["task"], weekly["task"]) == (
        "notifications.send_daily_digests",
        "notifications.send_weekly_digests",
    )
    assert {daily["task"], weekly["task"], "notifications.send_digest"} <= set(app.tasks)
    assert (daily["schedule"].hour, daily["schedule"].minute) == ({7}, {0})
    assert (weekly["schedule"].hour, weekly["schedule"].minute, weekly["schedule"].day_of_week) == (
        {7},
        {0},
        {1},
    )
    assert app.conf.timezone == "Europe/Berlin"
