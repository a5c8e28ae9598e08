"""Celery beat that cannot run twice: only the holder of a lock sends scheduled tasks.

Exactly one beat process should run in an installation (README, "Deployment").
When a second one is started by mistake, or a standby is kept on purpose, the
processes elect a leader through a lock: in Redis (`REDIS_URL`, shared by all
machines) or, without Redis, a file lock under `VAR_DIR` (one machine only, as
everything else in that mode). The others tick idly and take over when the
leader's lock expires (a killed leader) or is released (a stopped one).

The leader records when it last sent each entry in the shared cache; a process
that takes over starts from those times, so a job the old leader already sent
is not sent again, and a job that fell due during the hand-over is sent once.
Every tick also writes a heartbeat that monitoring can read (`last_heartbeat`).
"""

import fcntl
import logging
import os
import socket
from datetime import datetime
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

LOCK_NAME = "beat:leader"
HEARTBEAT_KEY = "beat:heartbeat"
LAST_RUN_KEY = "beat:last-run:{name}"
# The leader renews its lock at every tick and ticks at least every RENEW_EVERY seconds;
# a standby takes over at most LOCK_SECONDS after the leader died.
LOCK_SECONDS = 30
RENEW_EVERY = 10


class RedisLeaderLock:
    def __init__(self, url: str, *, seconds: int = LOCK_SECONDS):
        import redis

        client = redis.Redis.from_url(url, socket_timeout=settings.REDIS_SOCKET_TIMEOUT)
        self._lock = client.lock(f"{settings.CACHE_KEY_PREFIX}:{LOCK_NAME}", timeout=seconds)
        self._seconds = seconds

    def hold(self) -> bool:
        """True while this process holds the lock; renews it, or tries to take it."""
        import redis

        try:
            if self._lock.owned():
                self._lock.extend(self._seconds, replace_ttl=True)
                return True
            return bool(self._lock.acquire(blocking=False))
        except redis.RedisError:
            logger.warning("beat cannot reach Redis; sends nothing until it can", exc_info=True)
            return False

    def release(self) -> None:
        import redis

        try:
            if self._lock.owned():
                self._lock.release()
        except redis.RedisError:
            pass  # it expires by itself


class FileLeaderLock:
    """One machine without Redis: an exclusive flock, held for the life of the process."""

    def __init__(self, path: Path):
        self._path = path
        self._file = None

    def hold(self) -> bool:
        if self._file is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def leader_lock():
    if settings.REDIS_URL:
        return RedisLeaderLock(settings.REDIS_URL)
    return FileLeaderLock(Path(settings.VAR_DIR) / "celerybeat.lock")


def _shared(operation, *args, **kwargs):
    """A cache call that an unreachable Redis cannot turn into a dead beat process (None then):
    the rehearsal (make rehearsal) found beat exiting on the heartbeat of its first tick after
    a Redis restart, which left the outbox without its replay."""
    from portal.readcache import CACHE_ERRORS

    try:
        return operation(*args, **kwargs)
    except CACHE_ERRORS:
        logger.warning("beat cannot reach the cache", exc_info=True)
        return None


def last_heartbeat() -> datetime | None:
    """When a beat process last ticked (leader or standby), for the status view."""
    return cache.get(HEARTBEAT_KEY)


class SingleBeatScheduler(PersistentScheduler):
    """The portal's beat scheduler (`CELERY_BEAT_SCHEDULER`)."""

    def __init__(self, *args, leader=None, **kwargs):
        self.leader = leader or leader_lock()
        self.node = f"{socket.gethostname()}:{os.getpid()}"
        self.is_leader = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        _shared(cache.set, HEARTBEAT_KEY, timezone.now(), timeout=None)
        holds = self.leader.hold()
        if holds and not self.is_leader:
            logger.info("beat %s leads and sends the schedule", self.node)
            self._resume_from_shared_last_runs()
        elif self.is_leader and not holds:
            logger.warning("beat %s lost the lead; it stands by", self.node)
        self.is_leader = holds
        if not holds:
            return RENEW_EVERY
        return min(super().tick(*args, **kwargs), RENEW_EVERY)

    def apply_entry(self, entry, producer=None):
        # Checked again at the moment of sending: a leader that stalled past its lock sends nothing.
        if not self.leader.hold():
            self.is_leader = False
            return
        super().apply_entry(entry, producer=producer)
        _shared(cache.set, LAST_RUN_KEY.format(name=entry.name), timezone.now(), timeout=None)

    def _resume_from_shared_last_runs(self) -> None:
        for name, entry in self.schedule.items():
            shared = _shared(cache.get, LAST_RUN_KEY.format(name=name))
            if shared is not None and (entry.last_run_at is None or shared > entry.last_run_at):
                entry.last_run_at = shared
        self._heap = None  # rebuilt from the updated entries at the next tick

    def close(self):
        try:
            super().close()
        finally:
            self.leader.release()
