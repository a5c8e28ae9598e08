"""`python -m tests.bench.profile_pages`: what the simple signed-in pages cost in-process.

`make bench` measures throughput under gunicorn and wrk, which a machine shared with other
work makes noisy. This measures CPU instead: Django's test client against the bench's settings
(`tests.bench.settings`: production settings, DEBUG off, the bare signed-in page of
tests/bench/urls.py), on PostgreSQL in a database of its own (`portal_pages`, the demo data;
`--reuse` keeps it) and a Redis database of its own (7, emptied). It signs in the demo partner
and the demo coordinator as tests/bench/fixtures.py does, warms the cache, and prints for each
page and role the median `time.process_time()` over --repeat requests, the SQL queries and the
cache (Redis) round trips of one warm request, and the bare signed-in page's CPU divided by the
page's (what the page's throughput would be beside the bare page's if this process's CPU were
all that counted; the database's and Redis's own work is not in it, their round trips are).

`--cprofile PAGE` (a page's name, e.g. "space home") prints a cProfile of --repeat warm
requests of that page for each role instead; `--role` limits to one role.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager

import psycopg

from tests.bench.environment import HOST, use_in_process_settings

DATABASE = os.environ.get("PROFILE_PAGES_DATABASE", "portal_pages")
REDIS_URL = os.environ.get("PROFILE_PAGES_REDIS_URL", "redis://127.0.0.1:6379/7")
MARKER = "profile_pages_built"
BARE_SIGNED_IN = "bare signed-in"
PAGES = {
    BARE_SIGNED_IN: "/__bench__/bare-signed-in",
    "start page": "/",
    "overview": "/mein-ueberblick/",
    "space home": "{space}",
    "meeting with minutes": "{meeting}",
    "project page": "{project}",
    "notification centre": "/notifications/",
}
ROLES = ("partner", "coordinator")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="requests per page and role (default 50)")
    parser.add_argument("--reuse", action="store_true", help=f"keep {DATABASE} if it was built before")
    parser.add_argument("--cprofile", metavar="PAGE", choices=sorted(PAGES), help="profile this page")
    parser.add_argument("--role", choices=ROLES, help="only this role")
    parser.add_argument("--lines", type=int, default=40, help="lines of the profile (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-profile-pages-") as var_dir:
        use_in_process_settings(
            database=DATABASE,
            var_dir=var_dir,
            settings="tests.bench.settings",
            SITE_URL="http://testserver",
            REDIS_URL=REDIS_URL,
        )
        _prepare(reuse=args.reuse)
        from tests.bench import fixtures

        prepared = fixtures.prepare()
        roles = [args.role] if args.role else list(ROLES)
        if args.cprofile:
            for role in roles:
                _profile(prepared, role, args.cprofile, repeat=args.repeat, lines=args.lines)
            return 0
        _report(prepared, roles, repeat=args.repeat)
    return 0


def _prepare(*, reuse: bool) -> None:
    import redis

    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        built = False
        if exists and reuse:
            with psycopg.connect(host=HOST, user="postgres", dbname=DATABASE) as db:
                built = bool(db.execute("SELECT 1 FROM pg_class WHERE relname = %s", [MARKER]).fetchone())
        if not built:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    print(f"{'Migrating' if built else 'Building'} {DATABASE} ...", file=sys.stderr, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    if not built:
        call_command("seed_demo", password="profile-Handwerk-2026", force=True, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER} ()")
    call_command("collectstatic", verbosity=0, interactive=False)


class RoundTrips:
    """Counts the commands this process sends to Redis (a pipeline counts once)."""

    def __init__(self):
        self.count = 0

    @contextmanager
    def counting(self):
        import redis.client

        plain, pipelined = redis.client.Redis.execute_command, redis.client.Pipeline.execute
        counter = self

        def execute_command(self, *args, **options):
            counter.count += 1
            return plain(self, *args, **options)

        def execute(self, *args, **options):
            counter.count += 1
            return pipelined(self, *args, **options)

        redis.client.Redis.execute_command = execute_command
        redis.client.Pipeline.execute = execute
        try:
            yield self
        finally:
            redis.client.Redis.execute_command = plain
            redis.client.Pipeline.execute = pipelined


def _client(prepared: dict, role: str):
    from django.conf import settings
    from django.test import Client

    client = Client()
    name, value = prepared["cookies"][role].split("=", 1)
    assert name == settings.SESSION_COOKIE_NAME
    client.cookies[name] = value
    return client


def _path(prepared: dict, page: str) -> str:
    return PAGES[page].format(**prepared["paths"])


def _get(client, path: str, email: str):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    if getattr(response.wsgi_request.user, "email", None) != email:
        raise SystemExit(f"{path} was not served to {email}")
    return response


def _measure(client, path: str, email: str, *, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: the shared reads and kept fragments are in the cache now
        _get(client, path, email)
    with CaptureQueriesContext(connection) as queries, RoundTrips().counting() as trips:
        _get(client, path, email)
    # Now: the next request empties the connection's query log.
    query_count = len(queries)
    times = []
    for _ in range(repeat):
        started = time.process_time()
        _get(client, path, email)
        times.append(time.process_time() - started)
    return {"ms": statistics.median(times) * 1000, "queries": query_count, "trips": trips.count}


def _report(prepared: dict, roles: list[str], *, repeat: int) -> None:
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print(f"CPU per request in-process (median of {repeat}), load average {load}")
    print(f"{'page':<22} {'role':<12} {'CPU ms':>7} {'ratio':>6} {'SQL':>4} {'Redis':>5}")
    for role in roles:
        client = _client(prepared, role)
        email = prepared["emails"][role]
        bare = None
        for page in PAGES:
            figures = _measure(client, _path(prepared, page), email, repeat=repeat)
            bare = bare or figures["ms"]
            print(
                f"{page:<22} {role:<12} {figures['ms']:7.2f} {bare / figures['ms']:6.2f} "
                f"{figures['queries']:4d} {figures['trips']:5d}",
                flush=True,
            )


def _profile(prepared: dict, role: str, page: str, *, repeat: int, lines: int) -> None:
    client = _client(prepared, role)
    email = prepared["emails"][role]
    path = _path(prepared, page)
    for _ in range(3):
        _get(client, path, email)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        _get(client, path, email)
    profiler.disable()
    print(f"\n{page} as {role}: {repeat} warm requests of {path}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)


if __name__ == "__main__":
    sys.exit(main())
