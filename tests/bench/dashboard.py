# ruff: noqa: S608, E501 - bulk SQL of a benchmark: table names from the models, numbers from constants
"""`python -m tests.bench.dashboard`: the coordinator dashboard and the activity report at volume.

In-process on PostgreSQL, in a fresh database `portal_bench_dashboard` (or
BENCH_DASHBOARD_DATABASE), with the production settings: the demo data, then
seven years of a busy Fachgruppe inserted in bulk (INSERT ... SELECT over
generate_series, seconds instead of minutes): 5,000 members (1,000 leaves
on record), 6,000 decided join requests, 20,000 meetings held with 10
participants each, two agenda items, two decisions and three action items
each, 10,000 questions, 20,000 projects with 25,000 submissions and 20,000
decisions, 2,000 information pages, 10,000 subscribers, and 20,000 events with
25 mails each (500,000 deliveries). `--reuse` measures again on the built database. Before
measuring, the deliveries are rolled up as the nightly beat does (the first time: all of them).

Prints per section of the dashboard the median milliseconds and queries over
--repeat runs for the default twelve months and for all seven years, the
whole page through Django's test client (both periods), the report page of
a year, the two pages again with no finished month kept (reports.meeting_months:
the first view after a change to the content), and EXPLAIN ANALYZE of the slowest
statement of the seven-year page. Everything but those two lines is measured
as a coordinator sees it from the second view on: the finished months kept.
"""

import argparse
import os
import statistics
import tempfile
import time

import psycopg

from tests.bench.environment import HOST, use_in_process_settings

DATABASE_NAME = os.environ.get("BENCH_DASHBOARD_DATABASE", "portal_bench_dashboard")
MEMBERS, MEETINGS, QUESTIONS, PROJECTS, PAGES, SUBSCRIBERS, EVENTS = (
    5_000,
    20_000,
    10_000,
    20_000,
    2_000,
    10_000,
    20_000,
)
PARTICIPANTS_PER_MEETING, MAILS_PER_EVENT = 10, 25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-bench-dashboard-") as var_dir:
        use_in_process_settings(database=DATABASE_NAME, var_dir=var_dir)
        if not args.reuse:
            _recreate()
        _setup()
        if not args.reuse:
            started = time.monotonic()
            _populate()
            print(f"built in {time.monotonic() - started:.0f} s", flush=True)
        _roll_up()
        _measure(repeat=args.repeat)
    return 0


def _recreate() -> None:
    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")


def _setup() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def _populate() -> None:
    from django.core.management import call_command
    from django.db import connection

    from groups.models import (
        InformationPage,
        JoinRequest,
        Membership,
        MembershipChange,
        Question,
        Space,
        Subscriber,
        User,
    )
    from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Participant
    from portal.notifications.models import Delivery, Event
    from projects.models import Decision as ProjectDecision
    from projects.models import Project, Submission

    call_command("seed_demo", password="bench-Handwerk-2026", force=True, verbosity=0)
    space = Space.objects.get(is_fachgruppe=True).pk
    author = User.objects.get(email="koordination@example.org").pk
    t = {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in [
            InformationPage,
            JoinRequest,
            Membership,
            MembershipChange,
            Question,
            Subscriber,
            User,
            ActionItem,
            AgendaItem,
            Decision,
            Meeting,
            Participant,
            Delivery,
            Event,
            Project,
            Submission,
        ]
    }
    t["ProjectDecision"] = connection.ops.quote_name(ProjectDecision._meta.db_table)
    # Seven years back from now, spread evenly; every statement below is a table name from the models.
    span = "(now() - interval '7 years' + (n::float / {count}) * interval '7 years')"
    statements = [
        f"INSERT INTO {t['User']} (password, is_superuser, email, name, organisation_name, is_staff, is_active,"
        f" date_joined, language) SELECT '!', false, 'bench-' || n || '@example.org', 'Mitglied ' || n,"
        f" 'Kammer', false, true, now(), 'de' FROM generate_series(1, {MEMBERS}) n",
        f"INSERT INTO {t['Membership']} (space_id, user_id, role, joined_at) SELECT {space}, u.id, 'member',"
        f" {span.format(count=MEMBERS).replace('n::float', 'u.rn::float')} FROM (SELECT id, row_number() OVER"
        f" (ORDER BY id) rn FROM {t['User']} WHERE email LIKE 'bench-%') u",
        f"INSERT INTO {t['MembershipChange']} (space_id, action, role_before, role_after, changed_at)"
        f" SELECT {space}, 'left', 'member', '', {span.format(count=1000)} FROM generate_series(1, 1000) n",
        f"INSERT INTO {t['JoinRequest']} (space_id, user_id, message, status, created_at, decided_at, reason)"
        f" SELECT {space}, u.id, '', CASE WHEN u.rn % 5 = 0 THEN 'declined' ELSE 'approved' END,"
        f" {span.format(count=6000).replace('n::float', 'u.rn::float')},"
        f" {span.format(count=6000).replace('n::float', 'u.rn::float')} + (u.rn % 9) * interval '1 day', ''"
        f" FROM (SELECT id, row_number() OVER (ORDER BY id) rn FROM {t['User']} WHERE email LIKE 'bench-%'"
        " LIMIT 6000) u",
        f"INSERT INTO {t['Meeting']} (space_id, audience_id, title, kind, status, description, description_html,"
        " starts_at, ends_at, tentative_period, place, video_url, registration_open, open_to_partners,"
        " sequence, created_at, updated_at) SELECT"
        f" {space}, {space}, 'Sitzung ' || n, 'sitzung', 'held', '', '', {span.format(count=MEETINGS)},"
        f" {span.format(count=MEETINGS)} + interval '2 hours', '', 'Videokonferenz', '', false, false, 0,"
        f" now(), now() FROM generate_series(1, {MEETINGS}) n",
        f"INSERT INTO {t['Participant']} (meeting_id, user_id, name, organisation, email, language, response,"
        " note, attended, invited_at) SELECT m.id, (SELECT min(id) FROM " + t["User"] + " WHERE email LIKE"
        f" 'bench-%') + (m.id * {PARTICIPANTS_PER_MEETING} + k) % {MEMBERS}, '', '', '', '',"
        " (ARRAY['accepted','accepted','accepted','accepted','accepted','accepted','excused','declined',"
        "'invited','accepted'])[k + 1], '', k < 6, now()"
        f" FROM {t['Meeting']} m CROSS JOIN generate_series(0, {PARTICIPANTS_PER_MEETING - 1}) k"
        " WHERE m.title LIKE 'Sitzung %'",
        f"INSERT INTO {t['AgendaItem']} (meeting_id, position, title, details, details_html, presenter_name,"
        " discussion, discussion_html) SELECT m.id, k, 'Punkt ' || k, '', '', '', '', ''"
        f" FROM {t['Meeting']} m CROSS JOIN generate_series(1, 2) k WHERE m.title LIKE 'Sitzung %'",
        f"INSERT INTO {t['Decision']} (agenda_item_id, text, position) SELECT a.id, 'Beschluss', 1"
        f" FROM {t['AgendaItem']} a JOIN {t['Meeting']} m ON m.id = a.meeting_id WHERE m.title LIKE 'Sitzung %'",
        f"INSERT INTO {t['ActionItem']} (meeting_id, title, other_assignees, due_date, status, done_at)"
        " SELECT m.id, 'Aufgabe ' || k, '', (m.starts_at + interval '30 days')::date,"
        " (ARRAY['done','open','in_progress'])[k], CASE WHEN k = 1 THEN m.starts_at + (m.id % 40) *"
        f" interval '1 day' END FROM {t['Meeting']} m CROSS JOIN generate_series(1, 3) k"
        " WHERE m.title LIKE 'Sitzung %'",
        f"INSERT INTO {t['Question']} (space_id, audience_id, title, body, body_html, working_group, created_at,"
        " status, decline_reason, answered_at) SELECT"
        f" {space}, {space}, 'Frage ' || n, 'Text', '', 'AG Transfer', {span.format(count=QUESTIONS)},"
        " CASE WHEN n % 4 = 0 THEN 'submitted' ELSE 'answered' END, '',"
        f" CASE WHEN n % 4 = 0 THEN NULL ELSE {span.format(count=QUESTIONS)} + (n % 30) * interval '1 day' END"
        f" FROM generate_series(1, {QUESTIONS}) n",
        f"INSERT INTO {t['Project']} (space_id, audience_id, slug, status, title, summary, description,"
        " description_html, region, contact_name, contact_email, contact_phone, links, submitted_by_id,"
        " created_at, updated_at, submitted_at, accepted_at, round) SELECT"
        f" {space}, NULL, 'bench-' || n, 'accepted', 'Projekt ' || n, '', '', '', '', '', '', '', '[]',"
        f" {author}, now(), now(), {span.format(count=PROJECTS)}, {span.format(count=PROJECTS)}"
        f" + interval '20 days', 1 + (n % 4 = 0)::int FROM generate_series(1, {PROJECTS}) n",
        f"INSERT INTO {t['Submission']} (project_id, number, snapshot, submitted_at) SELECT p.id, k, '{{}}',"
        f" p.submitted_at FROM {t['Project']} p CROSS JOIN generate_series(1, 2) k"
        " WHERE p.slug LIKE 'bench-%' AND k <= p.round",
        f"INSERT INTO {t['ProjectDecision']} (project_id, round, outcome, reason, changes_requested,"
        " share_reviews, decided_by_id, decided_at) SELECT p.id, k, CASE WHEN k < p.round THEN 'returned'"
        f" ELSE 'accepted' END, 'Gut', '', false, {author}, p.accepted_at FROM {t['Project']} p"
        " CROSS JOIN generate_series(1, 2) k WHERE p.slug LIKE 'bench-%' AND k <= p.round",
        f"INSERT INTO {t['InformationPage']} (space_id, audience_id, title, slug, summary, body, body_html,"
        " created_at, updated_at, published_at) SELECT"
        f" {space}, NULL, 'Seite ' || n, 'bench-' || n, '', '', '', now(), now(), {span.format(count=PAGES)}"
        f" FROM generate_series(1, {PAGES}) n",
        f"INSERT INTO {t['Subscriber']} (email, language, token, confirmation_token, created_at, confirmed_at,"
        " unsubscribed_at) SELECT 'abo-' || n || '@example.org', 'de', md5('t' || n), '', now(),"
        f" {span.format(count=SUBSCRIBERS)}, CASE WHEN n % 7 = 0 THEN now() END"
        f" FROM generate_series(1, {SUBSCRIBERS}) n",
        f"INSERT INTO {t['Event']} (kind, space_id, audience, ring_id, recipient_ids, data, created_at, state,"
        f" attempts) SELECT 'thread_created', {space}, 'ring', {space}, '[]', '{{}}',"
        f" {span.format(count=EVENTS)}, 'dispatched', 1 FROM generate_series(1, {EVENTS}) n",
        f"INSERT INTO {t['Delivery']} (event_id, user_id, channel, status, attempts, failures, last_error,"
        " created_at, sent_at) SELECT e.id, (SELECT min(id) FROM " + t["User"] + " WHERE email LIKE"
        f" 'bench-%') + (e.id * {MAILS_PER_EVENT} + k) % {MEMBERS}, 'immediate',"
        " CASE WHEN k = 0 AND e.id % 50 = 0 THEN 'failed' ELSE 'sent' END, 1, 0, '', e.created_at,"
        f" e.created_at FROM {t['Event']} e CROSS JOIN generate_series(0, {MAILS_PER_EVENT - 1}) k"
        " WHERE e.kind = 'thread_created' AND e.space_id = " + str(space),
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            started = time.monotonic()
            cursor.execute(statement)
            print(
                f"  {cursor.rowcount:>8} rows in {time.monotonic() - started:5.1f} s: {statement[12:60]}",
                flush=True,
            )
        # As autovacuum leaves a table after a bulk load: the visibility map set, so the dashboard's
        # covering indexes answer without the table (index-only scans).
        cursor.execute("VACUUM ANALYZE")


def _roll_up() -> None:
    """What the nightly beat does (portal.notifications.tallies): the settled days' deliveries counted."""
    from portal.notifications import tallies

    started = time.monotonic()
    rows = tallies.roll_up_deliveries()
    print(f"rolled up the deliveries into {rows} day rows in {time.monotonic() - started:.1f} s", flush=True)


def _forget_kept_months() -> None:
    from portal import readcache

    readcache.forget([readcache.GENERATION_KEY])


def _median_ms(run, repeat: int) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        run()
    return statistics.median(times) * 1000, len(captured.captured_queries)


def _measure(*, repeat: int) -> None:
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from groups.models import Space, User
    from reports import annual, selectors
    from reports.periods import Period, default_period

    space = Space.objects.get(is_fachgruppe=True)
    periods = {
        "12 months": default_period(),
        "7 years": Period(
            first=timezone.localdate() - datetime.timedelta(days=7 * 365), last=timezone.localdate()
        ),
    }
    print(f"\n{'section':<16} {'period':<10} {'median ms':>10} {'queries':>8}")
    for label, period in periods.items():
        for slug, build in selectors.SECTIONS.items():
            ms, queries = _median_ms(
                lambda build=build, period=period: build(space=space, period=period), repeat
            )
            print(f"{slug:<16} {label:<10} {ms:>10.1f} {queries:>8}", flush=True)
    year = timezone.localdate().year - 1
    ms, queries = _median_ms(lambda: annual.activity_report(space=space, year=year), repeat)
    print(f"{'report ' + str(year):<16} {'':<10} {ms:>10.1f} {queries:>8}", flush=True)

    client = Client()
    client.force_login(User.objects.get(email="koordination@example.org"))
    urls = {
        "page, 12 months": f"/auswertung/{space.slug}/",
        "page, 7 years": f"/auswertung/{space.slug}/?von={periods['7 years'].first:%Y-%m-%d}",
        "report page": f"/auswertung/{space.slug}/taetigkeitsbericht/{year}/",
    }
    print()
    slowest = None
    for label, url in urls.items():
        client.get(url)
        ms, queries = _median_ms(lambda url=url: client.get(url), repeat)
        response = client.get(url)
        print(
            f"{label:<28} {ms:>8.1f} ms {queries:>4} queries  {len(response.content):>8} B  {response.status_code}"
        )
        if label == "page, 7 years":
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    # The same pages when no finished month is kept (the first view after a change to meetings).
    for label in ("page, 12 months", "page, 7 years"):
        ms, queries = _median_ms(lambda url=urls[label]: (_forget_kept_months(), client.get(url)), repeat)
        print(f"{label + ', nothing kept':<28} {ms:>8.1f} ms {queries:>4} queries")
    if slowest is not None:
        print(
            f"\nslowest statement of the 7-year page ({float(slowest['time']) * 1000:.0f} ms):\n{slowest['sql']}\n"
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    raise SystemExit(main())
