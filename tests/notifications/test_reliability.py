"""Delivery survives Redis and workers failing: real Redis servers, real worker processes.

"1,000 notifications are created" is taken as one event fanned out to 1,000 people: a new
thread in a space of 1,001 members who all want that kind at once by e-mail, so the one
event makes 1,000 notifications and 1,000 mails in five batches. Each test starts a
redis-server of its own (the machine's Redis is shared and never stopped) and points the
test process, as the web process, and `celery -A portal worker` processes at it. The
worker processes write their mail into one folder; every Message-ID names its delivery,
so a mail sent twice is counted twice. Beat is played by the test: it runs the replay
task itself, with the replay's waiting time shortened where a test cannot wait a minute.
"""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import kombu.pools
import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Membership, Space, User
from portal.celery import app
from portal.notifications import delivery, journal, tasks
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event, Notification, Preference
from tests.factories import UserFactory
from tests.factories.groups import SpaceFactory
from tests.notifications.harness import MailFolder, PrivateRedis, Worker, redis_server_binary, wait_until
from tests.once import token

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CROWD = 1000
# The bound for delivery after an outage.
DELIVERY_DEADLINE = 120
# A publish to a broker that is down or hangs must give up well within a request's patience.
PUBLISH_BOUND = 15


def _needs(condition: bool, what: str) -> None:
    if not condition:
        if settings.SERVICES.ci:
            pytest.fail(f"CI must provide {what} for the reliability tests")
        pytest.skip(f"{what} is not available here")


@pytest.fixture
def private_redis(tmp_path):
    binary = redis_server_binary()
    _needs(binary is not None, "the redis-server binary")
    _needs(connection.vendor == "postgresql", "PostgreSQL (worker processes share the test database)")
    server = PrivateRedis(binary, tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def _point_celery_at(url: str) -> None:
    """Publishing goes through the app's pooled connections; new ones are needed for a new broker."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps its own registry of producer pools per connection; the pools
    # closed above would be handed out again to the next test that publishes.
    kombu.pools.reset()
    app.conf.broker_url = url


@pytest.fixture
def portal_redis(private_redis, settings):
    """The test process uses the private Redis as broker and cache (the journal), as a web process would."""
    # The same backend, options and key prefix as the worker processes, on the private server.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": private_redis.url}}
    previous = app.conf.broker_url
    _point_celery_at(private_redis.url)
    yield private_redis
    _point_celery_at(previous)


@pytest.fixture
def mail(tmp_path, settings) -> MailFolder:
    folder = MailFolder(tmp_path / "mail")
    settings.MAILERS = {"default": folder.mailer}
    return folder


@pytest.fixture
def start_worker(portal_redis, mail, tmp_path, settings):
    workers: list[Worker] = []

    def start() -> Worker:
        worker = Worker(
            redis_url=portal_redis.url,
            mail=mail,
            var_dir=tmp_path,
            secret_key=settings.SECRET_KEY,
            site_url=settings.SITE_URL,
        )
        workers.append(worker)
        return worker.start(app)

    yield start
    for worker in workers:
        worker.discard()


@pytest.fixture
def beat(monkeypatch):
    """Runs the replay as beat would, without beat's minute of patience with pending work."""
    monkeypatch.setattr(delivery, "REPLAY_AFTER", timedelta(0))
    return tasks.replay_outbox


def _populate(space: Space, count: int) -> list[int]:
    """`count` verified members of `space` who want every kind at once by e-mail, created in bulk."""
    users = User.objects.bulk_create(
        [
            User(email=f"{space.slug}-{n}@example.org", name=f"Mitglied {n}", password="!")
            for n in range(count)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users]
    )
    Membership.objects.bulk_create([Membership(space=space, user=user) for user in users])
    Preference.objects.bulk_create(
        [Preference(user=user, kind=kind, channel=Channel.IMMEDIATE) for user in users for kind in Kind]
    )
    return [user.pk for user in users]


@pytest.fixture
def crowd() -> tuple[Space, User, set[int]]:
    """A space, one author and the 1,000 other members a new thread of the author reaches."""
    space = SpaceFactory()
    author = UserFactory()
    Membership.objects.create(space=space, user=author)
    return space, author, set(_populate(space, CROWD))


def _post_thread(client, *, space: Space, author: User, title: str) -> float:
    """A new thread through the portal's own page; returns how long the request took."""
    client.force_login(author)
    started = time.monotonic()
    response = client.post(
        reverse("groups:thread_create", kwargs={"slug": space.slug}),
        {"title": title, "body": "Wer macht mit?", **token()},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content[:500]
    return elapsed


def _sent_deliveries(event: Event) -> int:
    return Delivery.objects.filter(event=event, status=Delivery.Status.SENT).count()


def _drive_until_delivered(event: Event, expected: int, *, beat, seconds: float = DELIVERY_DEADLINE) -> None:
    """Runs the replay every two seconds, as beat would every minute, until every mail is out (which
    is looked at more often, so the test ends when the last mail has left)."""
    deadline = time.monotonic() + seconds
    next_beat = time.monotonic()
    while _sent_deliveries(event) < expected:
        assert time.monotonic() < deadline, (
            f"{_sent_deliveries(event)} of {expected} mails sent after {seconds} s"
        )
        if time.monotonic() >= next_beat:
            beat()
            next_beat = time.monotonic() + 2
        time.sleep(0.1)


def _assert_delivered_once(event: Event, recipients: set[int], mail: MailFolder) -> None:
    assert set(Notification.objects.filter(event=event).values_list("user_id", flat=True)) == recipients
    assert Notification.objects.filter(event=event).count() == len(recipients)
    deliveries = Delivery.objects.filter(event=event)
    assert set(deliveries.values_list("user_id", flat=True)) == recipients
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    expected = Counter({(email, pk): 1 for pk, email in deliveries.values_list("pk", "user__email")})
    assert mail.sent() == expected


def test_an_outage_of_redis_while_a_thread_is_posted_loses_and_repeats_nothing(
    client, crowd, portal_redis, mail, start_worker, beat
):
    space, author, recipients = crowd
    portal_redis.crash()

    elapsed = _post_thread(client, space=space, author=author, title="Ausbildung 2027")

    assert elapsed < PUBLISH_BOUND
    event = Event.objects.get(kind=Kind.THREAD_CREATED)
    assert event.state == Event.State.PENDING

    portal_redis.start()
    start_worker()
    _drive_until_delivered(event, CROWD, beat=beat)

    _assert_delivered_once(event, recipients, mail)


def test_a_queue_lost_in_a_restart_of_redis_is_replayed_from_the_outbox(
    client, crowd, portal_redis, mail, start_worker, beat
):
    space, author, recipients = crowd
    _post_thread(client, space=space, author=author, title="Ausbildung 2027")
    assert portal_redis.queued() == 1

    portal_redis.restart()
    assert portal_redis.queued() == 0
    start_worker()
    event = Event.objects.get(kind=Kind.THREAD_CREATED)
    _drive_until_delivered(event, CROWD, beat=beat)

    _assert_delivered_once(event, recipients, mail)


def test_redis_crashing_while_the_mails_go_out_repeats_none_of_them(
    client, crowd, portal_redis, mail, start_worker, beat
):
    space, author, recipients = crowd
    start_worker()
    _post_thread(client, space=space, author=author, title="Ausbildung 2027")
    event = Event.objects.get(kind=Kind.THREAD_CREATED)
    wait_until(lambda: len(mail.sent()) >= 100, seconds=60, what="the first mails are out")

    portal_redis.crash()
    time.sleep(1)
    portal_redis.start()

    assert len(mail.sent()) < CROWD, "the crash came too late to interrupt the delivery"
    _drive_until_delivered(event, CROWD, beat=beat)
    _assert_delivered_once(event, recipients, mail)


@dataclass
class KilledMidBatch:
    """A worker killed while it sent the second batch of the crowd's mails, and what it left claimed."""

    event: Event
    killed_at: datetime
    dead_claims: set[int]

    def let_the_claims_expire(self) -> None:
        """Ten minutes pass for the dead claims: they are older than CLAIM_TIMEOUT now."""
        Delivery.objects.filter(pk__in=self.dead_claims).update(
            claimed_at=self.killed_at - delivery.CLAIM_TIMEOUT - timedelta(seconds=1)
        )


@pytest.fixture
def kill_mid_batch(client, crowd, mail, start_worker):
    """Starts a worker, posts the crowd's thread and kills the whole worker or only its pool process
    while the second batch of mails is half sent."""

    def kill(victim: str) -> KilledMidBatch:
        space, author, _ = crowd
        worker = start_worker()
        _post_thread(client, space=space, author=author, title="Ausbildung 2027")
        event = Event.objects.get(kind=Kind.THREAD_CREATED)
        # Mails leave in batches of 200; at 300 the second batch is half sent.
        wait_until(
            lambda: len(mail.sent()) >= 300, seconds=60, what="the second batch is being sent", interval=0.02
        )
        killed_at = timezone.now()
        if victim == "whole worker":
            worker.kill()
        else:
            worker.kill_pool_processes()
        dead_claims = set(
            Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=killed_at).values_list(
                "pk", flat=True
            )
        )
        assert dead_claims, "the kill came between two batches"
        return KilledMidBatch(event=event, killed_at=killed_at, dead_claims=dead_claims)

    return kill


@pytest.mark.parametrize("victim", ["whole worker", "pool process"])
def test_a_worker_killed_while_sending_loses_nothing_and_repeats_at_most_the_mail_in_flight(
    victim, crowd, mail, start_worker, beat, kill_mid_batch
):
    _, _, recipients = crowd
    killed = kill_mid_batch(victim)

    # Mailed, but neither marked sent nor journaled: the one message that was on its way when
    # the process died. Nobody can know whether the recipient got it; it is sent again.
    in_flight = (mail.delivery_ids() & killed.dead_claims) - journal.which_were_sent(killed.dead_claims)
    assert len(in_flight) <= 1, "a worker process sends one message at a time"
    killed.let_the_claims_expire()
    if victim == "whole worker":
        start_worker()
    _drive_until_delivered(killed.event, CROWD, beat=beat)

    event = killed.event
    assert set(Notification.objects.filter(event=event).values_list("user_id", flat=True)) == recipients
    assert Notification.objects.filter(event=event).count() == CROWD
    deliveries = dict(Delivery.objects.filter(event=event).values_list("pk", "user__email"))
    sent = mail.sent()
    assert {pk for _, pk in sent} == set(deliveries)
    assert all(deliveries[pk] == recipient for recipient, pk in sent)
    assert {pk for (_, pk), times in sent.items() if times > 1} <= in_flight
    assert max(sent.values()) <= 2


def test_a_worker_killed_while_sending_and_redis_wiped_before_its_claims_expire_repeats_only_its_last_mails(
    crowd, portal_redis, mail, start_worker, beat, kill_mid_batch
):
    _, _, recipients = crowd
    killed = kill_mid_batch("whole worker")

    # Redis loses everything while the dead worker's claims are still held (within
    # OUTBOX_CLAIM_TIMEOUT): the queue, the cache and the journal's notes in it.
    redis.Redis.from_url(portal_redis.url).flushdb()
    # What the database still holds as claimed but has left: the mails since the rows' last note
    # (fewer than ROW_NOTES_EVERY) and the one on its way when the process died.
    in_flight = mail.delivery_ids() & killed.dead_claims
    assert len(in_flight) <= journal.ROW_NOTES_EVERY, f"{len(in_flight)} mails left unmarked on their rows"
    killed.let_the_claims_expire()
    start_worker()
    _drive_until_delivered(killed.event, CROWD, beat=beat)

    deliveries = dict(Delivery.objects.filter(event=killed.event).values_list("pk", "user_id"))
    assert set(deliveries.values()) == recipients
    sent = mail.sent()
    assert {pk for _, pk in sent} == set(deliveries)
    assert sum(times - 1 for times in sent.values()) <= len(in_flight)


def test_a_hanging_redis_delays_a_post_by_the_socket_timeout_and_the_event_waits(client, portal_redis, beat):
    space = SpaceFactory()
    author, reader = UserFactory(), UserFactory()
    Membership.objects.bulk_create(
        [Membership(space=space, user=author), Membership(space=space, user=reader)]
    )
    portal_redis.pause()
    try:
        elapsed = _post_thread(client, space=space, author=author, title="Ausbildung 2027")
    finally:
        portal_redis.resume()

    assert elapsed < PUBLISH_BOUND
    event = Event.objects.get(kind=Kind.THREAD_CREATED)
    assert event.state == Event.State.PENDING
    assert delivery.recover()["events"] == [event.pk]


def _delivered(event: Event) -> bool:
    event.refresh_from_db()
    return (
        event.state == Event.State.DISPATCHED
        and not Delivery.objects.filter(event=event).exclude(status=Delivery.Status.SENT).exists()
    )


def test_rings_hold_end_to_end_an_inner_thread_and_its_widening_reach_only_whom_they_may(
    fachgruppe, inner, partner, inner_member, coordinator, portal_redis, mail, start_worker
):
    second_inner, second_partner = UserFactory(), UserFactory()
    Membership.objects.bulk_create(
        [
            Membership(space=fachgruppe, user=second_inner),
            Membership(space=inner, user=second_inner),
            Membership(space=fachgruppe, user=second_partner),
        ]
    )
    everyone = [partner, inner_member, coordinator, second_inner, second_partner]
    Preference.objects.bulk_create(
        [Preference(user=user, kind=kind, channel=Channel.IMMEDIATE) for user in everyone for kind in Kind]
    )
    start_worker()
    secret = "Lohnkostenkalkulation-Geheimsache"

    thread = services.thread_create(
        space=inner, author=inner_member, title=secret, body=f"{secret}: nur für den inneren Kreis."
    )
    created = Event.objects.get(kind=Kind.THREAD_CREATED)
    wait_until(lambda: _delivered(created), seconds=60, what="the inner thread is delivered")
    inner_people = {coordinator.pk, second_inner.pk}
    emails = dict(User.objects.values_list("pk", "email"))
    # Every mail so far carries the inner thread, and none of them left the inner ring.
    assert {recipient for recipient, _ in mail.sent()} == {emails[pk] for pk in inner_people}
    assert all(secret in text for text in mail.texts().values())

    services.audience_widen(item=thread, by=coordinator)
    widened = Event.objects.get(kind=Kind.WIDENED)
    wait_until(lambda: _delivered(widened), seconds=60, what="the widening is delivered")

    newly_reached = {partner.pk, second_partner.pk}
    for event, reached in [(created, inner_people), (widened, newly_reached)]:
        assert set(Notification.objects.filter(event=event).values_list("user_id", flat=True)) == reached
        deliveries = set(Delivery.objects.filter(event=event).values_list("pk", flat=True))
        assert set(Delivery.objects.filter(event=event).values_list("user_id", flat=True)) == reached
        assert sorted(recipient for recipient, pk in mail.sent().elements() if pk in deliveries) == sorted(
            emails[pk] for pk in reached
        )
