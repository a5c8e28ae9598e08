"""Role fixtures, real services and the browser for the whole suite."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytest_plugins = ["tests.roles"]

# Playwright drives the live server from the test thread; Django's async guard
# would otherwise refuse database access there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_report_header(config):
    services = settings.SERVICES if hasattr(settings, "SERVICES") else None
    if services is None:
        return None
    lines = [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"redis: {services.redis_url or 'NOT AVAILABLE'}",
    ]
    for problem in services.problems:
        lines.append("!" * 78)
        lines.append(f"!!! {problem}")
        lines.append("!!! Falling back: SQLite for the database, tests marked 'redis' are SKIPPED.")
        lines.append("!" * 78)
    return lines


def pytest_collection_modifyitems(config, items):
    if settings.SERVICES.redis_url:
        return
    skip = pytest.mark.skip(reason="Redis is not reachable here (CI would fail instead)")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def clear_cache():
    """An empty shared cache, so allauth's rate limits and used TOTP codes do not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outsider(db):
    """Signed up, e-mail verified, member of nothing."""
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@pytest.fixture(scope="module")
def celery_worker(django_db_setup):
    """A real Celery worker on the Redis broker, in a thread of the test process.

    Being in this process it uses the test database; tests whose tasks read what
    the test wrote need `django_db(transaction=True)`, because the worker's
    connection cannot see the test's open transaction. Use it with the `redis`
    marker. Messages left in the queue by earlier tests are purged first, so the
    worker only runs what its tests enqueue.
    """
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    _drop_cached_control_producers(app)
    app.control.purge()
    # start_worker's own ping check waits for a task result, and the portal keeps
    # none (no result backend); a remote-control ping proves the same round trip.
    with start_worker(app, pool="solo", perform_ping_check=False) as worker:
        # A broadcast sent before the worker's mailbox is bound is lost, and an earlier remote
        # control call (the status view pings) may have left a stale producer: ask again. A ping
        # that is answered returns at once; a lost one costs its whole timeout, hence a short one.
        for _ in range(30):
            _drop_cached_control_producers(app)
            replies = app.control.ping(destination=[worker.hostname], timeout=0.5)
            if replies:
                break
        assert replies, f"the Celery worker {worker.hostname} did not answer a ping through the broker"
        yield worker
    _drop_cached_control_producers(app)


def _drop_cached_control_producers(app) -> None:
    """Remote control (ping) caches a producer pool; a test that moves the app to another broker
    and back closes it. Dropped before and after, as Celery itself does after a fork."""
    vars(app.control.mailbox).pop("producer_pool", None)


@pytest.fixture(autouse=True)
def _broker_not_resting(monkeypatch):
    """Each test starts with a publisher that has not given up on the broker (see events.enqueue_dispatch)."""
    from portal.notifications import events

    monkeypatch.setattr(events, "_broker_resting_until", 0.0)


@pytest.fixture(autouse=True)
def _no_cached_showcase():
    """The start page's cached project cards, the shared reads (portal/readcache.py) and the
    dashboard's kept months (reports/meeting_months.py) outlive a test's rolled-back rows; each
    test starts without."""
    from portal import readcache
    from projects.catalogue import SHOWCASE_CACHE_KEY

    cache.delete_many([SHOWCASE_CACHE_KEY, readcache.GENERATION_KEY])
    # A test that took the cache away left this process resting from it (the circuit breaker).
    readcache._resting_until = 0.0


@pytest.fixture(scope="session", autouse=True)
def _empty_cache_at_start():
    """A fresh test database reuses ids; journal notes of an earlier run must not match them."""
    cache.clear()


@pytest.fixture
def account_mails(mailoutbox):
    """Sends the account mails recorded so far the way the worker does, and returns the outbox.

    Account mails never leave in the request (portal.notifications.outbox); a
    test that reads one calls this where a worker would have run.
    """
    from tests.outbox import deliver_mails

    def deliver():
        deliver_mails()
        return mailoutbox

    return deliver


@pytest.fixture
def outbox_at_once(monkeypatch):
    """Mails posted to the outbox are sent the moment their transaction commits, as a worker that
    takes them at once would (use with django_capture_on_commit_callbacks(execute=True))."""
    from portal.notifications import outbox

    monkeypatch.setattr(outbox, "_enqueue", lambda mail_ids: outbox.send_mails(mail_ids) >= 0)
