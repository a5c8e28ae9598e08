"""Real services the reliability tests break on purpose: a Redis of their own, Celery worker
processes and a mail folder that several processes write into.

The machine's Redis is shared with other people and is never stopped; every test that
kills, restarts or pauses Redis gets a redis-server of its own on a free port instead.
"""

import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import redis
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Environment a worker process needs from outside; everything else is set explicitly.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], *, seconds: float, what: str, interval: float = 0.1):
    """Polls until `condition()` is true and returns its value; fails after `seconds` naming `what`."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server without persistence: after a crash it starts empty, its queue is lost."""

    def __init__(self, binary: str, directory: Path):
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        directory.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, seconds=10, what=f"redis-server on port {self.port} answers")

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1).ping()
        except redis.RedisError:
            return False

    def crash(self) -> None:
        """SIGKILL: whatever was queued is gone, as on a machine that lost its power."""
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait(timeout=10)

    def restart(self) -> None:
        self.crash()
        self.start()

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, but nothing ever answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def queued(self, queue: str = "celery") -> int:
        return redis.Redis.from_url(self.url, socket_timeout=5).llen(queue)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.crash()


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class MailFolder:
    """Mail written by Django's file backend, from any number of processes, one file per connection."""

    SEPARATOR = b"\n" + b"-" * 79 + b"\n"
    RECIPIENT = re.compile(rb"^To: (.+?)\r?$", re.MULTILINE)
    # The Message-ID names the delivery (`<notification-<delivery id>@host>`), so a repeat shows.
    DELIVERY = re.compile(rb"^Message-ID: <notification-(\d+)@", re.MULTILINE)

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"file://{self.path}"

    @property
    def mailer(self) -> dict:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(self.path)},
        }

    def sent(self) -> Counter[tuple[str, int]]:
        """How often each (recipient, delivery id) was mailed; a message cut off after its
        headers by a kill counts, as an SMTP server may have taken it."""
        counts: Counter[tuple[str, int]] = Counter()
        for file in self.path.iterdir():
            for message in file.read_bytes().split(self.SEPARATOR):
                recipient, delivery = self.RECIPIENT.search(message), self.DELIVERY.search(message)
                if recipient and delivery:
                    counts[(recipient.group(1).decode(), int(delivery.group(1)))] += 1
        return counts

    def delivery_ids(self) -> set[int]:
        return {delivery_id for _, delivery_id in self.sent()}

    def texts(self) -> dict[int, str]:
        """Subject and every text part of each delivery's mail, decoded, by delivery id."""
        texts = {}
        for file in self.path.iterdir():
            for raw in file.read_bytes().split(self.SEPARATOR):
                delivery = self.DELIVERY.search(raw)
                if delivery:
                    message = email.message_from_bytes(raw, policy=email.policy.default)
                    parts = [
                        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
                    ]
                    texts[int(delivery.group(1))] = "\n".join([str(message["Subject"]), *parts])
        return texts


def test_database_url() -> str:
    """The database pytest-django created for this run, for processes outside the test."""
    config = connection.settings_dict
    credentials = quote(config["USER"] or "")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"])
    host = config["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{config['PORT'] or 5432}/{config['NAME']}"


class Worker:
    """`celery -A portal worker` in a process group of its own, configured as production is."""

    _started = 0

    def __init__(self, *, redis_url: str, mail: MailFolder, var_dir: Path, secret_key: str, site_url: str):
        Worker._started += 1
        self.hostname = f"reliability{Worker._started}-{os.getpid()}@localhost"
        self.log_path = var_dir / f"worker{Worker._started}.log"
        self.environment = {
            **{name: os.environ[name] for name in INHERITED if name in os.environ},
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PYTHONPATH": str(BASE_DIR),
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secret_key,
            "SITE_URL": site_url,
            "ALLOWED_HOSTS": "*",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "EMAIL_URL": mail.url,
            "VAR_DIR": str(var_dir),
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def start(self, app) -> "Worker":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    f"--hostname={self.hostname}",
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel=WARNING",
                ],
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                # A session of its own: SIGKILL reaches the pool processes too, as when a machine dies.
                start_new_session=True,
            )
        wait_until(lambda: self._answers(app), seconds=60, what=f"worker {self.hostname} answers a ping")
        return self

    def _answers(self, app) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log()}")
        return bool(app.control.ping(destination=[self.hostname], timeout=0.5))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL to the whole worker: its unacknowledged message waits for Redis's visibility timeout."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_pool_processes(self) -> None:
        """SIGKILL to the pool processes only, as the OOM killer does; the main process lives on."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        assert children, "the worker has no pool process"
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)

    def discard(self) -> None:
        """The test is over: SIGKILL to whatever of the worker still runs, without a warm shutdown's
        wait for its pool (a second or two per worker)."""
        if self.process is not None and self.process.poll() is None:
            self.kill()
