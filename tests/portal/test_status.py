"""The operator's status view: who may read it, what turns it red, and the Prometheus twin."""

import ipaddress
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal import beat
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beat_ticked():
    cache.set(beat.HEARTBEAT_KEY, timezone.now(), timeout=None)
    yield
    cache.delete(beat.HEARTBEAT_KEY)


@pytest.fixture
def token(settings):
    settings.STATUS_TOKEN = "s3cret-status-token"
    return settings.STATUS_TOKEN


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_status_is_hidden_from_everyone_else(client, who):
    if who == "member":
        client.force_login(UserFactory())

    assert client.get("/status/").status_code == 404
    assert client.get("/status/metrics").status_code == 404
    assert client.get("/status/", headers={"authorization": "Bearer wrong"}).status_code == 404


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_a_worker_and_a_beat_the_status_is_ok(client, token, beat_ticked, celery_worker):
    response = client.get("/status/", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "outbox", "beat", "workers"}
    assert body["checks"]["workers"]["seen"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.redis
def test_no_worker_and_no_beat_turn_the_status_red(client, token):
    cache.delete(beat.HEARTBEAT_KEY)

    response = client.get("/status/", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["workers"] == {"status": "error", "seen": []}
    assert checks["beat"]["status"] == "error"
    assert checks["database"]["status"] == "ok"


@pytest.mark.redis
def test_an_old_pending_event_turns_the_outbox_red(client, settings, beat_ticked):
    settings.STATUS_MAX_OUTBOX_AGE = 600
    event = Event.objects.create(kind=Kind.THREAD_CREATED, audience=Event.Audience.PEOPLE)
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    client.force_login(StaffFactory())

    checks = client.get("/status/").json()["checks"]

    assert checks["outbox"]["status"] == "error"
    assert checks["outbox"]["pending"] == 1
    assert checks["outbox"]["oldest_pending_seconds"] >= 30 * 60


def test_an_allowed_network_may_read_the_metrics(client, settings):
    settings.STATUS_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]

    response = client.get("/status/metrics", REMOTE_ADDR="127.0.0.9")

    assert response.status_code == 200
    text = response.content.decode()
    assert "portal_up " in text
    assert 'portal_check_ok{check="database"} 1' in text
    assert "portal_workers_seen" in text
    assert client.get("/status/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
