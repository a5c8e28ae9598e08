"""The asynchronous path end to end: a task sent through Redis and run by a real worker."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.celery import app
from portal.tasks import clear_expired_sessions


def _session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["note"] = "Sitzung"
    store.set_expiry(timezone.now() + expires_in)
    store.save()
    return store.session_key


def _wait_until(condition, *, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_clears_expired_sessions_and_keeps_live_ones(celery_worker):
    expired = {_session(expires_in=timedelta(days=-1)), _session(expires_in=timedelta(seconds=-1))}
    live = _session(expires_in=timedelta(days=14))

    clear_expired_sessions.delay()

    assert _wait_until(lambda: not Session.objects.filter(session_key__in=expired).exists())
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_the_beat_schedule_names_only_registered_tasks():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "portal.clear_expired_sessions" in scheduled
    assert scheduled <= set(app.tasks)
