"""`make bench`: the portal served by gunicorn on PostgreSQL, loaded with wrk.

Each run starts from a fresh database `portal_bench` with the demo data, the
production settings (DEBUG off, manifest static files, Redis cache and broker)
and plain http on loopback. Every page is measured beside a baseline served by
the same processes in the same run, so that the machine's speed cancels out of
the ratio, which is the figure to watch: anonymous pages beside a bare Django
page, signed-in pages (as the demo partner and the demo coordinator, with a
session cookie) beside a bare signed-in page, list pages at volume beside a
naive list of 25 of 100,000 rows (tests/bench/urls.py). The pages take turns in
several rounds, and each figure is the median over the rounds, so that load
from other processes on a shared machine hits all pages alike.

With --volume the pages are measured in the database `portal_bench_volume`
(built once by tests/bench/volume.py and kept; --rebuild builds it again), and
a concurrency probe sends 8 searches at once while timing /healthz.
"""

import argparse
import contextlib
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import django
import psycopg
import redis

from tests.bench import wrk

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
DEMO_DATABASE = "portal_bench"
VOLUME_DATABASE = "portal_bench_volume"
VOLUME_MARKER = "bench_volume_built"
REDIS_URL = "redis://127.0.0.1:6379/14"
DEMO_PASSWORD = "bench-Handwerk-2026"
# Environment a portal process needs from outside; everything else is set here,
# so a developer's shell cannot change what is measured.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
ANONYMOUS, PARTNER, COORDINATOR = "anonymous", "partner", "coordinator"
BARE, SIGNED_IN, NAIVE = "bare", "bare signed-in", "naive list"
PROBE_SEARCHES = 8
HEALTH_TARGET_MS = 1000.0


@dataclass(frozen=True)
class Target:
    """What a page must reach: a throughput ratio to its baseline, a p95, a p50, a size."""

    min_ratio: float | None = None
    max_p95_ms: float | None = None
    max_p50_ms: float | None = None
    max_kb: float | None = None

    def describe(self, baseline: str) -> str:
        parts = []
        if self.min_ratio is not None:
            parts.append(f">= {self.min_ratio:g} x {baseline}")
        if self.max_p95_ms is not None:
            parts.append(f"p95 < {self.max_p95_ms:g} ms")
        if self.max_p50_ms is not None:
            parts.append(f"p50 < {self.max_p50_ms:g} ms")
        if self.max_kb is not None:
            parts.append(f"< {self.max_kb:g} KB")
        return ", ".join(parts)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may name a path of tests/bench/fixtures.py: "{meeting}"
    role: str = ANONYMOUS
    baseline: str = BARE
    target: Target | None = None
    # Every request another address (wrk.FRESH_ADDRESSES): the page as a first reader gets it,
    # past the shared reads of portal/readcache.py.
    fresh: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.role, self.name)


SIMPLE = Target(min_ratio=0.5)


def _signed_in_pages(role: str) -> list[Page]:
    pages = [
        Page(SIGNED_IN, "/__bench__/bare-signed-in", role, SIGNED_IN),
        Page("start page", "/", role, SIGNED_IN, SIMPLE),
        Page("overview", "/mein-ueberblick/", role, SIGNED_IN, SIMPLE),
        Page("space home", "{space}", role, SIGNED_IN, SIMPLE),
        Page("meeting with minutes", "{meeting}", role, SIGNED_IN, SIMPLE),
        Page("catalogue", "/projects/", role, SIGNED_IN),
        Page("catalogue search", "/projects/?q=Ausbildung", role, SIGNED_IN),
        Page("project page", "{project}", role, SIGNED_IN, SIMPLE),
        Page("notification centre", "/notifications/", role, SIGNED_IN, SIMPLE),
        Page("minutes PDF (stored)", "{minutes_pdf}", role, SIGNED_IN, SIMPLE),
        Page("meeting ICS", "{meeting_ics}", role, SIGNED_IN),
    ]
    if role == PARTNER:
        pages.append(Page("personal feed", "{feed}", role, SIGNED_IN))
    return pages


DEMO_PAGES = [
    Page(BARE, "/__bench__/bare"),
    Page("start page", "/"),
    Page("login page", "/accounts/login/"),
    Page("meetings", "/meetings/"),
    Page("catalogue", "/projects/"),
    Page("catalogue search", "/projects/?q=Ausbildung"),
    Page("project page", "{project}"),
    *_signed_in_pages(PARTNER),
    *_signed_in_pages(COORDINATOR),
]
VOLUME_PAGES = [
    Page(SIGNED_IN, "/__bench__/bare-signed-in", PARTNER, SIGNED_IN),
    Page(NAIVE, "/__bench__/naive-list", PARTNER, NAIVE),
    Page("catalogue", "/projects/", PARTNER, NAIVE, Target(min_ratio=1.0)),
    Page("catalogue page 50", "/projects/?page=50", PARTNER, NAIVE, Target(min_ratio=1.0)),
    Page("search, rare word", "/projects/?q=Zwetschgenkuchen", PARTNER, NAIVE, Target(max_p95_ms=100)),
    Page("search, common word", "/projects/?q=Ausbildung", PARTNER, NAIVE, Target(max_p95_ms=100)),
    Page(
        "search, rare, uncached",
        "/projects/?q=Zwetschgenkuchen",
        PARTNER,
        NAIVE,
        Target(max_p95_ms=100),
        True,
    ),
    Page("search, common, uncached", "/projects/?q=Ausbildung", PARTNER, NAIVE, Target(max_p95_ms=100), True),
    Page("catalogue, uncached", "/projects/", PARTNER, NAIVE, fresh=True),
    Page("meeting list, uncached", "/meetings/", PARTNER, NAIVE, fresh=True),
    Page("meeting list", "/meetings/", PARTNER, NAIVE, Target(min_ratio=1.0)),
    Page("space home", "{space}", PARTNER, SIGNED_IN),
    Page("personal feed", "{feed}", PARTNER, SIGNED_IN, Target(max_p50_ms=200, max_kb=300)),
]


@dataclass
class Measured:
    """A page's figures: the medians over the rounds, and its response size."""

    page: Page
    url: str
    size: int
    rounds: list[wrk.Result] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    # Why the page was not loaded with wrk (it did not answer in time); it fails its target.
    skipped: str = ""

    def median(self, figure) -> float | None:
        values = [figure(result) for result in self.rounds]
        values = [value for value in values if value is not None]
        return statistics.median(values) if values else None

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    def verdict(self) -> bool | None:
        target = self.page.target
        if target is None:
            return None
        if self.skipped:
            return False
        checks = []
        if target.min_ratio is not None:
            checks.append(self.ratio is not None and self.ratio >= target.min_ratio)
        if target.max_p95_ms is not None:
            p95 = self.median(lambda result: result.p95_ms)
            checks.append(p95 is not None and p95 < target.max_p95_ms)
        if target.max_p50_ms is not None:
            checks.append(self.median(lambda result: result.p50_ms) < target.max_p50_ms)
        if target.max_kb is not None:
            checks.append(self.size / 1024 < target.max_kb)
        return all(checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volume", action="store_true", help="measure at volume (portal_bench_volume)")
    parser.add_argument("--rebuild", action="store_true", help="with --volume: build the volume data again")
    parser.add_argument("--seconds", type=int, default=3, help="load per page and round (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="turns each page takes (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured load per page first (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args()
    pages = VOLUME_PAGES if args.volume else DEMO_PAGES
    if args.only:
        pages = [page for page in pages if args.only in page.name or page.name in (BARE, SIGNED_IN, NAIVE)]
    # Slow pages at volume must be measured, not counted as failures.
    timeout = 60 if args.volume else 10

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as var_dir:
        database = VOLUME_DATABASE if args.volume else DEMO_DATABASE
        environment = _environment(Path(var_dir), database)
        if args.volume:
            _prepare_volume(environment, rebuild=args.rebuild)
        else:
            _prepare_demo(environment)
        fixtures = _fixtures(environment)
        port = _free_port()
        log_path = Path(var_dir) / "gunicorn.log"
        server = _start_gunicorn(environment, port, log_path, args.workers, args.worker_class, timeout)
        try:
            base_url = f"http://{HOST}:{port}"
            _wait_for_health(base_url, server, log_path)
            measured = _check_pages(base_url, pages, fixtures, timeout)
            load = {"threads": args.threads, "connections": args.connections, "timeout": timeout}
            measured_by_wrk = [item for item in measured if not item.skipped]
            for item in measured_by_wrk:
                wrk.run(
                    item.url,
                    seconds=args.warmup,
                    headers=_headers(item.page, fixtures),
                    fresh_addresses=item.page.fresh,
                    **load,
                )
            for _ in range(args.rounds):
                results = {}
                for item in measured_by_wrk:
                    result = wrk.run(
                        item.url,
                        seconds=args.seconds,
                        headers=_headers(item.page, fixtures),
                        fresh_addresses=item.page.fresh,
                        **load,
                    )
                    item.rounds.append(result)
                    results[item.page.key] = result
                for item in measured_by_wrk:
                    baseline = results.get((item.page.role, item.page.baseline))
                    if baseline and baseline.requests_per_second:
                        item.ratios.append(item.rounds[-1].requests_per_second / baseline.requests_per_second)
            probe = _concurrency_probe(base_url, fixtures, timeout) if args.volume else None
        finally:
            _stop(server)
    _print_report(measured, probe, args)
    failed = sum(result.failed - result.timeouts for item in measured for result in item.rounds)
    if failed:
        print(f"\n{failed} requests failed or were not 2xx/3xx: the figures are not valid.", file=sys.stderr)
        return 1
    return 0


def _environment(var_dir: Path, database: str) -> dict[str, str]:
    return {
        **{name: os.environ[name] for name in INHERITED if name in os.environ},
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "PYTHONPATH": str(BASE_DIR),
        "DEBUG": "false",
        # Production in every respect but TLS, which the reverse proxy would terminate.
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "locmem://",
        "VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }


def _postgres() -> psycopg.Connection:
    return psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True)


def _manage(environment: dict[str, str], *command: str, module: str | None = None, timeout: int = 600) -> str:
    print(f"{module or 'manage.py ' + command[0]} ...", flush=True)
    arguments = ["-m", module] if module else ["manage.py", *command]
    completed = subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        timeout=timeout,
        stdout=subprocess.PIPE,
        text=True,
    )
    return completed.stdout


def _recreate(database: str) -> None:
    with _postgres() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")


def _prepare_demo(environment: dict[str, str]) -> None:
    print(f"Recreating database {DEMO_DATABASE}, emptying {REDIS_URL} ...", flush=True)
    _recreate(DEMO_DATABASE)
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    _manage(environment, "migrate", "--no-input", "--verbosity=0")
    _manage(environment, "seed_demo", f"--password={DEMO_PASSWORD}", "--force")
    _manage(environment, "collectstatic", "--no-input", "--verbosity=0")


def _volume_built() -> bool:
    with _postgres() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [VOLUME_DATABASE]).fetchone():
            return False
    with psycopg.connect(host=HOST, user="postgres", dbname=VOLUME_DATABASE) as conn:
        return bool(conn.execute("SELECT to_regclass(%s)", [VOLUME_MARKER]).fetchone()[0])


def _prepare_volume(environment: dict[str, str], *, rebuild: bool) -> None:
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    if not rebuild and _volume_built():
        print(f"Reusing the volume data in {VOLUME_DATABASE} (--rebuild builds it again) ...", flush=True)
        _manage(environment, "migrate", "--no-input", "--verbosity=0")
    else:
        print(f"Building {VOLUME_DATABASE} (kept for later runs) ...", flush=True)
        _recreate(VOLUME_DATABASE)
        _manage(environment, "migrate", "--no-input", "--verbosity=0")
        _manage(environment, "seed_demo", f"--password={DEMO_PASSWORD}", "--force")
        print(_manage(environment, module="tests.bench.volume", timeout=1800), end="")
        with psycopg.connect(host=HOST, user="postgres", dbname=VOLUME_DATABASE, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            conn.execute(f"CREATE TABLE {VOLUME_MARKER} (built_at timestamptz DEFAULT now())")
            conn.execute(f"INSERT INTO {VOLUME_MARKER} DEFAULT VALUES")
    _manage(environment, "collectstatic", "--no-input", "--verbosity=0")


def _fixtures(environment: dict[str, str]) -> dict:
    # The last line: anything the portal logs to stdout comes before it.
    return json.loads(_manage(environment, module="tests.bench.fixtures").strip().splitlines()[-1])


def _headers(page: Page, fixtures: dict) -> dict[str, str]:
    if page.role == ANONYMOUS:
        return {}
    return {"Cookie": fixtures["cookies"][page.role]}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _start_gunicorn(
    environment: dict[str, str], port: int, log_path: Path, workers: int, worker_class: str, timeout: int
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
        f"--timeout={timeout + 30}",
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


def _wait_for_health(base_url: str, server: subprocess.Popen, log_path: Path, seconds: float = 90) -> None:
    """Until /healthz answers 200; a loaded machine may take long to start the workers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (OSError, ValueError):
            # URLError, refused or reset connections, TimeoutError, a half-started worker's
            # broken answer (http.client raises ValueError subclasses for some): try again.
            pass
        time.sleep(0.5)
    raise SystemExit(f"/healthz did not answer 200 within {seconds} s:\n{log_path.read_text()[-4000:]}")


def _get(url: str, headers: dict[str, str], timeout: float) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.url, response.read()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read()


def _check_pages(base_url: str, pages: list[Page], fixtures: dict, timeout: float) -> list[Measured]:
    """Every page answers 200 itself (wrk would count a redirect to the login page as a success),
    signed in as whom it should be; this also renders the stored minutes PDF once."""
    measured = []
    for page in pages:
        url = base_url + page.path.format(**fixtures["paths"])
        try:
            status, final, body = _get(url, _headers(page, fixtures), timeout)
        except TimeoutError:
            print(f"{page.role}: {url} took more than {timeout} s; not measured.", flush=True)
            measured.append(Measured(page=page, url=url, size=0, skipped=f"> {timeout:g} s, not measured"))
            continue
        if status != 200 or final != url:
            raise SystemExit(f"{page.role}: {url} answered {status} from {final}; expected 200 itself.")
        if page.name == SIGNED_IN and fixtures["emails"][page.role].encode() not in body:
            raise SystemExit(f"the {page.role}'s session cookie does not sign in: {body[:200]!r}")
        measured.append(Measured(page=page, url=url, size=len(body)))
    return measured


@dataclass
class Probe:
    searches: int
    server_errors: int
    failures: int
    slowest_search_ms: float
    health_ms: list[float]


def _concurrency_probe(base_url: str, fixtures: dict, timeout: float) -> Probe:
    """8 searches at once; meanwhile /healthz is asked again and again: does the portal still answer?"""
    url = base_url + "/projects/?q=Ausbildung+Betrieb"
    headers = {"Cookie": fixtures["cookies"][PARTNER]}
    outcomes: list[tuple[int | None, float]] = []
    start = threading.Barrier(PROBE_SEARCHES + 1)

    def search():
        start.wait()
        began = time.monotonic()
        try:
            status = _get(url, headers, timeout)[0]
        except OSError:
            status = None
        outcomes.append((status, (time.monotonic() - began) * 1000))

    workers = [threading.Thread(target=search) for _ in range(PROBE_SEARCHES)]
    for worker in workers:
        worker.start()
    start.wait()
    health = []
    while any(worker.is_alive() for worker in workers):
        began = time.monotonic()
        with contextlib.suppress(OSError):
            _get(base_url + "/healthz", {}, timeout)
        health.append((time.monotonic() - began) * 1000)
        time.sleep(0.1)
    for worker in workers:
        worker.join()
    return Probe(
        searches=len(outcomes),
        server_errors=sum(1 for status, _ in outcomes if status is not None and status >= 500),
        failures=sum(1 for status, _ in outcomes if status is None),
        slowest_search_ms=max(duration for _, duration in outcomes),
        health_ms=health,
    )


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _print_report(measured: list[Measured], probe: Probe | None, args: argparse.Namespace) -> None:
    print()
    print(
        f"{'volume' if args.volume else 'demo'} data; gunicorn {args.workers} {args.worker_class} workers, "
        f"PostgreSQL, Redis; wrk {args.threads} threads, {args.connections} connections; "
        f"{args.rounds} rounds of {args.seconds} s per page, medians over the rounds; "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
    header = (
        f"{'as':<11} {'page':<22} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'KB':>6} {'ratio':>6}  {'to':<14} target"
    )
    print(header)
    print("-" * (len(header) + 20))
    for item in measured:
        page = item.page
        verdict = item.verdict()
        if item.skipped:
            target = page.target.describe(page.baseline) if page.target else ""
            print(f"{page.role:<11} {page.name:<22} {item.skipped:<52} FAIL {target}")
            continue
        target = "" if page.target is None else page.target.describe(page.baseline)
        if verdict is not None:
            target = f"{'PASS' if verdict else 'FAIL'} {target}"
        ratio = "" if page.name == page.baseline else f"{item.ratio:.2f}" if item.ratio is not None else "-"
        timeouts = sum(result.timeouts for result in item.rounds)
        print(
            f"{page.role:<11} {page.name:<22} {item.median(lambda r: r.requests_per_second):>7.1f} "
            f"{_ms(item.median(lambda r: r.p50_ms)):>7} {_ms(item.median(lambda r: r.p95_ms)):>7} "
            f"{_ms(item.median(lambda r: r.p99_ms)):>7} {item.size / 1024:>6.1f} {ratio:>6}  "
            f"{'' if page.name == page.baseline else page.baseline:<14} {target}"
            f"{f'  ({timeouts} timeouts)' if timeouts else ''}"
        )
    verdicts = [item.verdict() for item in measured if item.page.target is not None]
    if probe is not None:
        worst = max(probe.health_ms) if probe.health_ms else None
        passed = (
            probe.server_errors == 0
            and probe.failures == 0
            and worst is not None
            and worst < HEALTH_TARGET_MS
        )
        verdicts.append(passed)
        print(
            f"\nConcurrency probe: {probe.searches} searches at once, {probe.server_errors} answered 5xx, "
            f"{probe.failures} failed, slowest {probe.slowest_search_ms:.0f} ms; /healthz meanwhile "
            f"{len(probe.health_ms)} times, median {_ms(statistics.median(probe.health_ms))} ms, "
            f"slowest {_ms(worst)} ms: {'PASS' if passed else 'FAIL'} "
            f"(no 5xx, /healthz < {HEALTH_TARGET_MS:.0f} ms)"
        )
    print(f"\nTargets: {sum(verdicts)} of {len(verdicts)} pass.")


if __name__ == "__main__":
    sys.exit(main())
