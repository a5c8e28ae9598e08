"""Two beat processes started by mistake send every scheduled job once."""

import time
from datetime import timedelta

import pytest
from celery.beat import ScheduleEntry
from django.conf import settings
from django.core.cache import cache

from portal import beat
from portal.celery import app


class RecordingScheduler(beat.SingleBeatScheduler):
    """The portal's scheduler with the broker replaced by a list: what it would have sent."""

    def __init__(self, *args, sent, **kwargs):
        self.sent = sent
        super().__init__(*args, **kwargs)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append((entry.name, self.node_label))


def _scheduler(tmp_path, label, sent, *, lock_seconds, every=timedelta(seconds=0.5), last_run_at=None):
    leader = beat.RedisLeaderLock(settings.REDIS_URL, seconds=lock_seconds)
    scheduler = RecordingScheduler(
        app,
        sent=sent,
        leader=leader,
        schedule_filename=str(tmp_path / f"schedule-{label}"),
        lazy=True,
    )
    scheduler.node_label = label
    scheduler.setup_schedule()
    scheduler.schedule.clear()
    scheduler.schedule["portal.tick"] = ScheduleEntry(
        name="portal.tick", task="portal.tick", schedule=every, last_run_at=last_run_at, app=app
    )
    return scheduler


def _run(schedulers, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.05)


@pytest.fixture
def clean_lock():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = [f"{settings.CACHE_KEY_PREFIX}:{beat.LOCK_NAME}"]
    client.delete(*keys)
    cache.delete_many([beat.HEARTBEAT_KEY, beat.LAST_RUN_KEY.format(name="portal.tick")])
    yield
    client.delete(*keys)


@pytest.mark.redis
def test_two_beats_send_each_run_once_and_the_standby_takes_over(tmp_path, clean_lock):
    sent: list[tuple[str, str]] = []
    first = _scheduler(tmp_path, "first", sent, lock_seconds=2)
    second = _scheduler(tmp_path, "second", sent, lock_seconds=2)

    _run([first, second], seconds=2.6)

    senders = {label for _, label in sent}
    assert senders == {"first"}, sent
    # 0.5 s apart for 2.6 s: five or six runs, not ten or twelve.
    assert 4 <= len(sent) <= 6

    # The leader is killed (no release): the standby takes over once the lock has expired.
    before = len(sent)
    _run([second], seconds=3.5)
    taken_over = sent[before:]
    assert taken_over, "the standby never took over"
    assert {label for _, label in taken_over} == {"second"}
    assert beat.last_heartbeat() is not None


@pytest.mark.redis
def test_a_stopped_leader_hands_over_at_once_without_repeating_its_last_run(tmp_path, clean_lock):
    """An hourly job, overdue in both schedule files: the leader sends it, its successor does not."""
    sent: list[tuple[str, str]] = []
    overdue = app.now() - timedelta(hours=2)
    hourly = {"lock_seconds": 30, "every": timedelta(hours=1), "last_run_at": overdue}
    first = _scheduler(tmp_path, "first", sent, **hourly)
    second = _scheduler(tmp_path, "second", sent, **hourly)
    _run([first, second], seconds=0.5)
    assert sent == [("portal.tick", "first")]

    first.close()
    _run([second], seconds=0.5)

    assert second.is_leader
    assert sent == [("portal.tick", "first")]


@pytest.mark.redis
def test_beat_keeps_ticking_while_the_cache_does_not_answer(tmp_path, clean_lock, monkeypatch):
    """make rehearsal found beat exiting on its heartbeat after a Redis restart, which stopped
    the outbox replay for good; now it sends what falls due and records it once the cache is back."""
    sent: list[tuple[str, str]] = []
    scheduler = _scheduler(tmp_path, "only", sent, lock_seconds=30)

    def refuse(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "set", refuse)
    monkeypatch.setattr(cache, "get", refuse)
    _run([scheduler], seconds=1.2)
    monkeypatch.undo()

    assert sent, "beat sent nothing"
    scheduler.tick()
    assert beat.last_heartbeat() is not None


def test_without_redis_a_second_beat_on_the_machine_stands_by(tmp_path):
    first = beat.FileLeaderLock(tmp_path / "celerybeat.lock")
    second = beat.FileLeaderLock(tmp_path / "celerybeat.lock")

    assert first.hold()
    assert not second.hold()
    first.release()
    assert second.hold()
    second.release()


def test_the_portal_runs_the_single_beat_scheduler():
    assert app.conf.beat_scheduler == "portal.beat:SingleBeatScheduler"
