"""`make bench`: the portal served by gunicorn on PostgreSQL, loaded with wrk.

Each run starts from a fresh database `portal_bench` with the demo data, the
production settings (DEBUG off, manifest static files, Redis cache and broker)
and plain http on loopback. Every page is measured beside a bare Django page
served by the same processes in the same run: the machine's speed cancels out
of the ratio, which is the figure to watch. The pages take turns in several
rounds, and each figure is the median over the rounds, so that load from other
processes on a shared machine hits all pages alike instead of whichever page
happened to run at that moment. Later issues add their pages to PAGES.
"""

import argparse
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import django
import psycopg
import redis

from tests.bench import wrk

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
DATABASE_NAME = "portal_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/14"
DEMO_PASSWORD = "bench-Handwerk-2026"
# Environment a portal process needs from outside; everything else is set here,
# so a developer's shell cannot change what is measured.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


@dataclass(frozen=True)
class Page:
    name: str
    path: str


BARE = Page("bare Django page", "/__bench__/bare")
PAGES = [
    Page("start page", "/"),
    Page("login page", "/accounts/login/"),
    Page("meetings", "/meetings/"),
    Page("catalogue", "/projects/"),
    Page("catalogue search", "/projects/?q=Ausbildung"),
    Page("project page", "/projects/ausbildungsbotschafter-im-backerhandwerk/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per page and round (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="turns each page takes (default 3)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured load per page first (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as var_dir:
        environment = _environment(Path(var_dir))
        _prepare(environment)
        port = _free_port()
        log_path = Path(var_dir) / "gunicorn.log"
        server = _start_gunicorn(environment, port, log_path, args.workers, args.worker_class)
        try:
            base_url = f"http://{HOST}:{port}"
            _wait_for_health(base_url, server, log_path)
            for page in [BARE, *PAGES]:
                _expect_ok(base_url + page.path)
            load = {"threads": args.threads, "connections": args.connections}
            for page in [BARE, *PAGES]:
                wrk.run(base_url + page.path, seconds=args.warmup, **load)
            rounds = [
                {page: wrk.run(base_url + page.path, seconds=args.seconds, **load) for page in [BARE, *PAGES]}
                for _ in range(args.rounds)
            ]
        finally:
            _stop(server)
    _print_report(rounds, args)
    failed = sum(result.failed for results in rounds for result in results.values())
    if failed:
        print(f"\n{failed} requests failed or were not 2xx/3xx: the figures are not valid.", file=sys.stderr)
        return 1
    return 0


def _environment(var_dir: Path) -> dict[str, str]:
    return {
        **{name: os.environ[name] for name in INHERITED if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "PYTHONPATH": str(BASE_DIR),
        "DEBUG": "false",
        # Production in every respect but TLS, which the reverse proxy would terminate.
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "locmem://",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }


def _prepare(environment: dict[str, str]) -> None:
    print(f"Recreating database {DATABASE_NAME}, emptying {REDIS_URL} ...", flush=True)
    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    for command in (
        ["migrate", "--no-input", "--verbosity=0"],
        ["seed_demo", f"--password={DEMO_PASSWORD}", "--force"],
        ["collectstatic", "--no-input", "--verbosity=0"],
    ):
        print(f"manage.py {command[0]} ...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=environment,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start_gunicorn(
    environment: dict[str, str], port: int, log_path: Path, workers: int, worker_class: str
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config=python:portal.gunicorn_conf",
        "portal.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        "--graceful-timeout=10",
        # The default control socket is one path per user; another gunicorn on the machine owns it.
        "--no-control-socket",
    ]
    if worker_class == "gthread":
        command.append("--threads=4")
    print(f"gunicorn on {HOST}:{port}, {workers} {worker_class} workers ...", flush=True)
    with log_path.open("wb") as log:
        # A session of its own: on any failure the whole process group can be stopped.
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for_health(base_url: str, server: subprocess.Popen, log_path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit(f"/healthz did not answer 200 within {seconds} s:\n{log_path.read_text()[-4000:]}")


def _expect_ok(url: str) -> None:
    # wrk counts redirects as successes, so a page that redirects would be measured as its redirect.
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} from {response.url}; expected 200 itself.")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _print_report(rounds: list[dict[Page, wrk.Result]], args: argparse.Namespace) -> None:
    def median(page: Page, figure) -> float:
        return statistics.median(figure(results[page], results[BARE]) for results in rounds)

    print()
    print(
        f"gunicorn {args.workers} {args.worker_class} workers, PostgreSQL, Redis; "
        f"wrk {args.threads} threads, {args.connections} connections; "
        f"{args.rounds} rounds of {args.seconds} s per page, medians over the rounds; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Django {django.get_version()}"
    )
    header = f"{'page':<18} {'path':<52} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8}"
    print(header)
    print("-" * len(header))
    for page in [BARE, *PAGES]:
        rps = median(page, lambda result, _: result.requests_per_second)
        p50 = median(page, lambda result, _: result.p50_ms)
        p99 = median(page, lambda result, _: result.p99_ms)
        ratio = median(page, lambda result, bare: result.requests_per_second / bare.requests_per_second)
        print(f"{page.name:<18} {page.path:<52} {rps:>10.1f} {p50:>8.2f} {p99:>8.2f} {ratio:>8.2f}")
    start = PAGES[0]
    throughput = median(start, lambda result, bare: result.requests_per_second / bare.requests_per_second)
    latency = median(start, lambda result, bare: result.p50_ms / bare.p50_ms)
    print(
        f"\nStart page vs bare page: {throughput:.2f} of the throughput, "
        f"{latency:.1f}x the median latency (medians of the per-round ratios)."
    )


if __name__ == "__main__":
    sys.exit(main())
