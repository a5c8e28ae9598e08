"""Search and catalogue at volume: 100,000 accepted projects and 20,000 meetings on PostgreSQL.

    .venv/bin/python -m tests.bench.volume_search            # build (a few minutes), then measure
    .venv/bin/python -m tests.bench.volume_search --reuse    # measure again on the built database

Builds a fresh database `portal_vol_search` (the demo data, then bulk inserts
of accepted public projects with German titles, summaries and descriptions full
of compounds and a few rare words, and meetings with agenda items and
published minutes), migrates, and times each case through Django's test client
with the production settings: p50 and p95 over `--runs` requests, after one
unmeasured request. `/healthz` is the floor any request costs on the machine
at that moment, a naive list ("25 of 100,000 with COUNT(*)") the yardstick.
The searches are timed once more as selector calls (the selector and one page
of hits, no request or template): the target is their p95 below 100 ms.
Finally it prints the plan of each case's slowest statement, reduced to the
lines that say how rows are found, so index use can be read off.

`build()` and `measure()` are plain functions that another bench can call
with Django already set up.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta

import psycopg

HOST = "127.0.0.1"
DATABASE_NAME = "portal_vol_search"
REDIS_URL = f"redis://{HOST}:6379/6"
SEARCH_TARGET_MS = 100

TRADES = ["Bäcker", "Tischler", "Elektro", "Dachdecker", "Maler", "Zimmerer", "Glaser", "Friseur", "Kfz"]
COMPOUND_TAILS = ["handwerk", "betrieb", "meister", "innung", "werkstatt", "ausbildung"]
THEMES = [
    "Ausbildungsverbund",
    "Fachkräftesicherung",
    "Energieberatung",
    "Digitalisierung",
    "Nachwuchsgewinnung",
    "Betriebsnachfolge",
    "Arbeitsschutz",
    "Weiterbildung",
    "Quereinstieg",
    "Gesundheitsförderung",
]
SENTENCES = [
    "Kleine Betriebe bilden gemeinsam aus und teilen sich die Praxistage.",
    "Die Innung begleitet die Betriebe bei der {theme} im {trade}{tail}.",
    "Auszubildende lernen in der Werkstatt des Partnerbetriebs.",
    "Die Handwerkskammer berät zu Fördermitteln und zur {theme}.",
    "Meisterinnen und Meister geben ihr Wissen an Quereinsteigende weiter.",
    "Ein digitales Berichtsheft ersetzt das Papier im {trade}{tail}.",
    "Betriebe tauschen sich regelmäßig über Erfahrungen mit der {theme} aus.",
    "Schulen und Betriebe organisieren gemeinsam Praktika für Jugendliche.",
]
# Words that occur in a handful of rows only.
RARE_WORDS = ["Zinngießerei", "Orgelbauwerkstatt", "Reetdachdeckerei", "Goldschmiedekunst", "Böttcherei"]
RARE_EVERY = 10_000


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(
        rng.choice(SENTENCES).format(
            theme=rng.choice(THEMES), trade=rng.choice(TRADES), tail=rng.choice(COMPOUND_TAILS)
        )
        for _ in range(sentences)
    )


def build(*, projects: int, meetings: int, seed: int = 2026) -> None:
    """Bulk-inserts `projects` accepted public projects and `meetings` meetings with four agenda
    items each (half of them with published minutes) into the configured database."""
    from django.utils import timezone

    from groups.models import Organisation, Space, Trade, User
    from meetings.models import AgendaItem, Decision, Meeting, Minutes
    from projects.models import Project
    from projects.services import home_space

    rng = random.Random(seed)
    space = home_space()
    organisations = list(Organisation.objects.all())
    trades = list(Trade.objects.all())
    submitter = User.objects.filter(is_staff=False).first()
    now = timezone.now()
    started = time.perf_counter()
    for first in range(0, projects, 5_000):
        batch = []
        for n in range(first, min(first + 5_000, projects)):
            theme, trade, tail = rng.choice(THEMES), rng.choice(TRADES), rng.choice(COMPOUND_TAILS)
            rare = f" {RARE_WORDS[(n // RARE_EVERY) % len(RARE_WORDS)]}" if n % RARE_EVERY == 7 else ""
            accepted = now - timedelta(minutes=n * 7)
            batch.append(
                Project(
                    space=space,
                    audience=None,
                    slug=f"vol-{n}",
                    status=Project.Status.ACCEPTED,
                    title=f"{theme} im {trade}{tail}{rare} {n}",
                    summary=_text(rng, 2),
                    description=f"## Ausgangslage\n\n{_text(rng, 4)}\n\n## Vorgehen\n\n{_text(rng, 4)}{rare}",
                    organisation=rng.choice(organisations),
                    region=rng.choice(["NW", "BY", "BW", "HH", "SN", "bundesweit"]),
                    starts_on=(accepted - timedelta(days=rng.randint(30, 900))).date(),
                    submitted_by=submitter,
                    submitted_at=accepted - timedelta(days=20),
                    accepted_at=accepted,
                )
            )
        created = Project.objects.bulk_create(batch)
        Project.trades.through.objects.bulk_create(
            [Project.trades.through(project_id=p.pk, trade_id=rng.choice(trades).pk) for p in created]
        )
    print(f"  {projects} projects in {time.perf_counter() - started:.0f} s", flush=True)

    started = time.perf_counter()
    fachgruppe = Space.objects.get(pk=space.pk)
    for first in range(0, meetings, 2_000):
        batch = [
            Meeting(
                space=fachgruppe,
                audience=fachgruppe if n % 3 else None,
                title=f"{rng.choice(['Sitzung', 'Fachgruppentreffen', 'Erfahrungsaustausch'])} {n}",
                description=_text(rng, 2) + (f" {RARE_WORDS[n % len(RARE_WORDS)]}" if n % 4000 == 3 else ""),
                starts_at=now - timedelta(days=n % 2000, hours=n % 24),
                status=Meeting.Status.HELD,
            )
            for n in range(first, min(first + 2_000, meetings))
        ]
        created = Meeting.objects.bulk_create(batch)
        Minutes.objects.bulk_create(
            [
                Minutes(
                    meeting=m,
                    status=Minutes.Status.PUBLISHED if m.pk % 2 else Minutes.Status.DRAFT,
                    published_at=now if m.pk % 2 else None,
                )
                for m in created
            ]
        )
        items = AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    meeting=m,
                    position=position,
                    title=f"{rng.choice(THEMES)} im {rng.choice(TRADES)}{rng.choice(COMPOUND_TAILS)}",
                    details=_text(rng, 1),
                    discussion=_text(rng, 3),
                )
                for m in created
                for position in range(1, 5)
            ]
        )
        Decision.objects.bulk_create(
            [Decision(agenda_item=item, text=_text(rng, 1)) for item in items if item.position == 2]
        )
    print(f"  {meetings} meetings in {time.perf_counter() - started:.0f} s", flush=True)


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    is_search: bool = False


CASES = [
    # The floor: what any request through the middleware costs on this machine at this moment.
    Case("reference: /healthz", "/healthz"),
    Case("catalogue, page 1", "/projects/"),
    Case("catalogue, page 50", "/projects/?seite=50"),
    Case("catalogue by title, page 50", "/projects/?sortierung=titel&seite=50"),
    Case("catalogue by start, page 1", "/projects/?sortierung=beginn"),
    Case("catalogue, one region", "/projects/?region=HH"),
    Case("search, rare word", "/projects/?q=Zinngießerei", is_search=True),
    Case("search, common word", "/projects/?q=Betriebe", is_search=True),
    Case("search, two common words", "/projects/?q=Ausbildung+Werkstatt", is_search=True),
    Case("search, compound part", "/projects/?q=handwerk", is_search=True),
    Case("search, rare compound part", "/projects/?q=gießerei", is_search=True),
    Case("meeting search, rare word", "/meetings/search/?q=Orgelbauwerkstatt", is_search=True),
    Case("meeting search, common word", "/meetings/search/?q=Betriebe", is_search=True),
]


@dataclass(frozen=True)
class Timing:
    name: str
    p50: float
    p95: float
    queries: int
    slowest_sql: str
    is_search: bool


def measure(*, runs: int = 20, only: str = "") -> list[Timing]:
    """Times every case (those whose name contains `only`) as an anonymous visitor."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    timings = []
    for case in [case for case in CASES if only in case.name]:
        response = client.get(case.path)
        if response.status_code != 200:
            raise SystemExit(f"{case.path} answered {response.status_code}")
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(case.path)
            seconds.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(case.path)
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        timings.append(
            Timing(
                case.name,
                statistics.median(seconds),
                statistics.quantiles(seconds, n=20)[-1],
                len(captured.captured_queries),
                slowest["sql"],
                case.is_search,
            )
        )
        print(f"  {case.name}: p50 {timings[-1].p50:.0f} ms", flush=True)
    timings.append(_naive(runs))
    timings.extend(_selectors(runs, only))
    return timings


def _selectors(runs: int, only: str) -> list[Timing]:
    """The searches without the request around them: the selector and one page of hits, as the
    views read them (their database work and the Python around it, no template)."""
    from urllib.parse import parse_qs, urlsplit

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings import search as meeting_search
    from portal.paging import CappedPaginator
    from projects import catalogue
    from projects.catalogue import CatalogueFilter

    def run(case: Case) -> None:
        query = parse_qs(urlsplit(case.path).query)["q"][0]
        if case.path.startswith("/meetings/"):
            meeting_search.search(user=AnonymousUser(), query=query)
            return
        hits = catalogue.catalogue(AnonymousUser(), CatalogueFilter(query=query))
        page = CappedPaginator(hits, 12, cap=catalogue.SEARCH_CAP).get_page(1)
        list(page.object_list)

    timings = []
    for case in [case for case in CASES if case.is_search and only in case.name]:
        run(case)
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            run(case)
            seconds.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            run(case)
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        timings.append(
            Timing(
                f"selector: {case.name}",
                statistics.median(seconds),
                statistics.quantiles(seconds, n=20)[-1],
                len(captured.captured_queries),
                slowest["sql"],
                True,
            )
        )
    return timings


def _naive(runs: int) -> Timing:
    """The yardstick: 25 rows of 100,000 in the catalogue's order, with a full COUNT(*)."""
    from django.db import connection

    sql = (
        "SELECT id, title, summary FROM projects_project WHERE status = 'accepted' "
        "ORDER BY accepted_at DESC NULLS LAST, submitted_at DESC NULLS LAST, id DESC LIMIT 25"
    )
    seconds = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            started = time.perf_counter()
            cursor.execute("SELECT COUNT(*) FROM projects_project WHERE status = 'accepted'")
            cursor.fetchone()
            cursor.execute(sql)
            cursor.fetchall()
            seconds.append((time.perf_counter() - started) * 1000)
    seconds = seconds[1:]
    return Timing(
        "naive: 25 rows + COUNT(*)",
        statistics.median(seconds),
        statistics.quantiles(seconds, n=20)[-1],
        2,
        sql,
        False,
    )


PLAN_WORDS = ("Scan", "Limit", "Sort", "Aggregate", "BitmapOr", "BitmapAnd", "Join", "Loop")


def explain(sql: str) -> list[str]:
    """The plan lines that say how rows are found (scans, sorts, limits), with their times."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    return [line for line in lines if any(word in line for word in PLAN_WORDS) or "Execution" in line]


def report(timings: list[Timing]) -> bool:
    print()
    print(f"{'case':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for timing in timings:
        print(f"{timing.name:<44} {timing.p50:>8.1f} {timing.p95:>8.1f} {timing.queries:>8}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print()
    for timing in timings:
        print(f"--- {timing.name}: plan of the slowest statement")
        for line in explain(timing.slowest_sql):
            print("   ", line)
    slow = [t.name for t in timings if t.name.startswith("selector:") and t.p95 >= SEARCH_TARGET_MS]
    print()
    if slow:
        print(f"Search selectors with p95 at or above {SEARCH_TARGET_MS} ms: {', '.join(slow)}")
    else:
        print(f"Every search selector p95 below {SEARCH_TARGET_MS} ms.")
    return not slow


def _configure(var_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE_NAME}",
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": "locmem://",
            "VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per case (default 20)")
    parser.add_argument("--reuse", action="store_true", help="keep the built database, only migrate")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--build-only", action="store_true", help="build, migrate and stop")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portal-vol-search-") as var_dir:
        _configure(var_dir)
        if not args.reuse:
            with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrate: {time.perf_counter() - started:.0f} s", flush=True)
        if not args.reuse:
            call_command("seed_demo", password="bench-Handwerk-2026", force=True, verbosity=0)
            print(f"Building {args.projects} projects and {args.meetings} meetings ...", flush=True)
            build(projects=args.projects, meetings=args.meetings)
            with django.db.connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        if args.build_only:
            return 0
        from django.core.cache import cache

        call_command("collectstatic", interactive=False, verbosity=0)
        cache.clear()
        print(f"Measuring ({args.runs} runs per case) ...", flush=True)
        ok = report(measure(runs=args.runs, only=args.only))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
