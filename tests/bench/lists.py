"""`python -m tests.bench.lists`: the meeting list and the personal calendar feed, small and at volume.

In-process (Django's test client, no gunicorn, no network), on PostgreSQL in a fresh
database `portal_vol_lists`, with the production settings. Two measurements:

- small: 25 meetings, the meeting list rendered --repeat times (ms per request);
- volume: --meetings meetings (bulk_create, ten years back and one ahead, in the
  Fachgruppe, the inner circle and public), the list's first and a deep page, the
  personal feed and its 304, and for comparison a naive page: 25 rows of a table of
  --naive rows with Django's Paginator (COUNT(*) of the whole table), rendered.

Prints one line per measurement: median ms, bytes, queries.
"""

import argparse
import datetime
import statistics
import tempfile
import time

import psycopg

from tests.bench.environment import HOST, use_in_process_settings

DATABASE_NAME = "portal_vol_lists"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--naive", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-bench-lists-") as var_dir:
        use_in_process_settings(database=DATABASE_NAME, var_dir=var_dir)
        _recreate()
        small = _populate(25, naive=0)
        _measure("small: meeting list, 25 meetings", small, "/meetings/", repeat=args.repeat)
        _recreate()
        partner = _populate(args.meetings, naive=args.naive)
        repeat = max(5, args.repeat // 20)
        _measure(f"volume: meeting list page 1 of {args.meetings}", partner, "/meetings/", repeat=repeat)
        _measure("volume: meeting list page 400", partner, "/meetings/?seite=400", repeat=repeat)
        feed = _feed_url(partner)
        response = _measure("volume: personal feed", partner, feed, repeat=repeat, login=False)
        _measure(
            "volume: personal feed, If-None-Match",
            partner,
            feed,
            repeat=repeat,
            login=False,
            headers={"if-none-match": response["ETag"]} if response.has_header("ETag") else {},
        )
        _measure(
            "volume: a light signed-in page (feed address)",
            partner,
            "/meetings/calendar/subscribe/",
            repeat=repeat,
        )
        _naive(args.naive, repeat=repeat)
    return 0


def _recreate() -> None:
    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    connections.close_all()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def _populate(count: int, *, naive: int):
    from django.utils import timezone

    from groups.models import Membership, Space, User
    from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
    from meetings.models import Meeting
    from portal.notifications.models import Event, Notification

    fachgruppe = Space.objects.get(slug=FACHGRUPPE_SLUG)
    inner = Space.objects.get(slug=INNER_SLUG)
    partner = User.objects.create(email="partner@example.org", name="Partnerin", password="!")
    Membership.objects.create(space=fachgruppe, user=partner)
    now = timezone.now()
    span = datetime.timedelta(days=11 * 365)
    first = now - datetime.timedelta(days=10 * 365)
    meetings = []
    for n in range(count):
        starts_at = first + span * n / max(count, 1)
        space, audience = [(fachgruppe, fachgruppe), (inner, inner), (fachgruppe, None)][n % 3]
        meetings.append(
            Meeting(
                title=f"Sitzung {n}",
                space=space,
                audience=audience,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                status=Meeting.Status.HELD if starts_at < now else Meeting.Status.PLANNED,
                place="Handwerkskammer, Saal 2",
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=5_000)
    if naive:
        event = Event.objects.create(
            kind="thread_created", audience=Event.Audience.PEOPLE, data={"title": "x"}
        )
        others = User.objects.bulk_create(
            [User(email=f"naive-{n}@example.org", name=f"N {n}", password="!") for n in range(naive)],
            batch_size=10_000,
        )
        Notification.objects.bulk_create(
            [Notification(event=event, user=user) for user in others], batch_size=10_000
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return partner


def _feed_url(user) -> str:
    from meetings import calendar

    return f"/meetings/feed/{calendar.feed_token_for(user=user).token}.ics"


def _measure(label: str, user, url: str, *, repeat: int, login: bool = True, headers=None):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if login:
        client.force_login(user)
    response = client.get(url, headers=headers or {})
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers=headers or {})
    print(
        f"{label:<48} {statistics.median(times) * 1000:8.1f} ms  {len(response.content):>9} B  "
        f"{len(captured.captured_queries):>3} queries  (status {response.status_code})",
        flush=True,
    )
    return response


def _naive(rows: int, *, repeat: int) -> None:
    """The yardstick: 25 rows of a table of `rows` with a full COUNT(*), rendered in a small template."""
    from django.core.paginator import Paginator
    from django.template import engines

    from portal.notifications.models import Notification

    template = engines["django"].from_string(
        "{% for row in page %}<li>{{ row.pk }} {{ row.created_at|date:'SHORT_DATETIME_FORMAT' }}</li>"
        "{% endfor %}"
        "{{ page.paginator.count }}"
    )
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        page = Paginator(Notification.objects.order_by("-created_at", "-pk"), 25).page(1)
        template.render({"page": page})
        times.append(time.perf_counter() - started)
    print(
        f"{f'naive: 25 of {rows:,} with COUNT(*)':<48} {statistics.median(times) * 1000:8.1f} ms", flush=True
    )


if __name__ == "__main__":
    raise SystemExit(main())
