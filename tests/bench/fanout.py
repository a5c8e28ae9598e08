"""`make bench` (fan-out): one new thread in a space of 1,000 and of 10,000 members who all
want it at once by e-mail, delivered by one worker, beside the floor of bare Django.

The worker is this process: it runs what the Celery tasks run (`delivery.dispatch`, then
`delivery.send_immediate` for every batch) one after the other, on PostgreSQL (a fresh
database `portal_bench_fanout`), with the journal in Redis (database 14, emptied first)
and mail through the locmem backend, so the figures are the portal's own work without a
broker hop or an SMTP server. Queries are counted at the database connection. Both sizes
run in one database, so the queries per member (which must not exist) and per batch
(which may) can be read off the table.

The floor is what bare Django needs for the same mails in the same process: it loads the
recipients, renders the portal's two mail templates (text and HTML) once per mail with
Django's template engine and sends the multipart messages, with the same headers, through
the locmem backend in batches of the portal's size (one connection and one
`send_messages` call per batch). It is measured right before and right after the portal's
fan-out of each size; the ratio of the portal's total to the mean of the two is the figure
to compare between commits and machines (target: at most RATIO_TARGET for 10,000 members).
"""

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import redis

HOST = "127.0.0.1"
# Several people on one machine give each run its own database and Redis number.
DATABASE_NAME = os.environ.get("BENCH_FANOUT_DATABASE", "portal_bench_fanout")
REDIS_URL = os.environ.get("BENCH_FANOUT_REDIS_URL", f"redis://{HOST}:6379/14")
TARGET_SECONDS = 20
RATIO_TARGET = 1.3
SIZES = (1_000, 10_000)


@dataclass(frozen=True)
class Step:
    seconds: float
    queries: int


@dataclass(frozen=True)
class Result:
    members: int
    notifications: int
    mails: int
    batches: int
    dispatch: Step
    send: Step
    # Bare Django's seconds for the same mails, measured before and after the portal's run.
    floor: tuple[float, float]

    @property
    def total(self) -> Step:
        return Step(self.dispatch.seconds + self.send.seconds, self.dispatch.queries + self.send.queries)

    @property
    def floor_seconds(self) -> float:
        return sum(self.floor) / len(self.floor)

    @property
    def ratio(self) -> float:
        return self.total.seconds / self.floor_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--members", type=int, nargs="+", default=list(SIZES), help="space sizes (default 1000 10000)"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="also write a cProfile of the portal's dispatch and sending of the largest size to FILE",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portal-bench-fanout-") as var_dir:
        _configure(var_dir)
        _prepare()
        largest = max(args.members)
        results = [
            _measure(members, profile=args.profile if members == largest else None)
            for members in args.members
        ]
    _print_report(results)
    return 0


def _configure(var_dir: str) -> None:
    """The production settings, set here so that a developer's shell cannot change what is measured."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": "https://portal.example.org",
            "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE_NAME}",
            "REDIS_URL": REDIS_URL,
            "EMAIL_URL": "locmem://",
            "VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
    )


def _prepare() -> None:
    print(f"Recreating database {DATABASE_NAME}, emptying {REDIS_URL} ...", flush=True)
    with psycopg.connect(host=HOST, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")
    redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()

    import django
    from django.core.management import call_command

    django.setup()
    print("manage.py migrate ...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def _counted():
    """Counts the statements sent to the database (a bulk insert in one statement counts once)."""
    from django.db import connection

    calls = []

    def count(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        yield calls
    calls.append(time.perf_counter() - started)


def _step(calls: list) -> Step:
    *queries, seconds = calls
    return Step(seconds, len(queries))


def _populate(members: int):
    from allauth.account.models import EmailAddress

    from groups.models import Membership, Space, User
    from portal.notifications.kinds import Channel, Kind
    from portal.notifications.models import Preference

    space = Space.objects.create(name=f"Fan-out {members}", slug=f"fanout-{members}", summary="Benchmark")
    author = User.objects.create(email=f"author-{members}@example.org", name="Autorin", password="!")
    EmailAddress.objects.create(user=author, email=author.email, primary=True, verified=True)
    Membership.objects.create(space=space, user=author)
    users = User.objects.bulk_create(
        [
            User(email=f"member-{members}-{n}@example.org", name=f"Mitglied {n}", password="!")
            for n in range(members)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users],
        batch_size=2000,
    )
    Membership.objects.bulk_create([Membership(space=space, user=user) for user in users], batch_size=2000)
    Preference.objects.bulk_create(
        [Preference(user=user, kind=Kind.THREAD_CREATED, channel=Channel.IMMEDIATE) for user in users],
        batch_size=2000,
    )
    return space, author


def _floor(space, event) -> float:
    """Bare Django: the recipients, both templates rendered per mail, multipart mails through locmem."""
    from django.conf import settings
    from django.core import mail
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from groups.models import User
    from portal.notifications.delivery import BATCH_SIZE

    started = time.perf_counter()
    recipients = list(
        User.objects.filter(memberships__space=space).exclude(pk=event.actor_id).only("pk", "name", "email")
    )
    domain = settings.SITE_URL.split("://", 1)[-1]
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Neue Diskussion in {space.name}: {event.data['title']}"
    sent = 0
    for start in range(0, len(recipients), BATCH_SIZE):
        messages = []
        for user in recipients[start : start + BATCH_SIZE]:
            url = f"{settings.SITE_URL}/notifications/unsubscribe/{user.pk}/"
            context = {
                "event": event,
                "data": event.data,
                "kind": "Neue Diskussion",
                "user": user,
                "unsubscribe_url": url,
                "site_url": settings.SITE_URL,
            }
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("notifications/email/event.txt", context),
                to=[user.email],
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "Message-ID": f"<floor-{user.pk}@{domain}>",
                    "Auto-Submitted": "auto-generated",
                },
            )
            html = render_to_string("notifications/email/event.html", context)
            message.attach_alternative(html, "text/html")
            messages.append(message)
        with mail.mailers.default as connection:
            sent += connection.send_messages(messages)
        mail.outbox.clear()
    seconds = time.perf_counter() - started
    if sent != len(recipients):
        raise SystemExit(f"the floor sent {sent} of {len(recipients)} mails")
    return seconds


def _measure(members: int, *, profile: str | None = None) -> Result:
    import cProfile

    from django.core import mail

    from groups import services
    from portal.notifications import delivery
    from portal.notifications.models import Delivery, Event, Notification

    print(f"{members} members: creating ...", flush=True)
    space, author = _populate(members)
    services.thread_create(space=space, author=author, title="Ausbildung 2027", body="Wer macht mit?")
    event = Event.objects.get(space=space)

    print(f"{members} members: bare Django's floor ...", flush=True)
    floor_before = _floor(space, event)
    print(f"{members} members: dispatching and sending ...", flush=True)
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    with _counted() as dispatch_calls:
        batches = delivery.dispatch(event.pk)
    mails = 0
    with _counted() as send_calls:
        for batch in batches:
            delivery.send_immediate(batch)
            # Counted and dropped batch by batch, so 10,000 messages never sit in memory at once.
            mails += len(mail.outbox)
            mail.outbox.clear()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
        print(f"{members} members: profile written to {profile} (python -m pstats {profile})", flush=True)
    print(f"{members} members: bare Django's floor again ...", flush=True)
    floor_after = _floor(space, event)

    result = Result(
        members=members,
        notifications=Notification.objects.filter(event=event).count(),
        mails=mails,
        batches=len(batches),
        dispatch=_step(dispatch_calls),
        send=_step(send_calls),
        floor=(floor_before, floor_after),
    )
    unsent = Delivery.objects.filter(event=event).exclude(status=Delivery.Status.SENT).count()
    if result.notifications != members or result.mails != members or unsent:
        raise SystemExit(
            f"{members} members: {result.notifications} notifications, {result.mails} mails, "
            f"{unsent} deliveries not sent; expected every member exactly once."
        )
    return result


def _print_report(results: list[Result]) -> None:
    import django

    from portal.notifications.delivery import BATCH_SIZE

    print()
    print(
        f"One event, every member at once by e-mail (locmem), one worker in this process; "
        f"PostgreSQL, journal in Redis; mail batches of {BATCH_SIZE}; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Django {django.get_version()}"
    )
    header = (
        f"{'members':>8} {'batches':>8} {'dispatch s':>11} {'queries':>8} "
        f"{'send s':>8} {'queries':>8} {'total s':>8} {'queries':>8} {'mails/s':>8} "
        f"{'floor s':>13} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.members:>8} {r.batches:>8} {r.dispatch.seconds:>11.2f} {r.dispatch.queries:>8} "
            f"{r.send.seconds:>8.2f} {r.send.queries:>8} {r.total.seconds:>8.2f} {r.total.queries:>8} "
            f"{r.mails / r.send.seconds:>8.0f} {r.floor[0]:>6.2f}/{r.floor[1]:<6.2f} {r.ratio:>6.2f}"
        )
    print("floor s: bare Django's same mails (render per mail, locmem) before/after the portal's run.")
    largest = max(results, key=lambda r: r.members)
    verdict = "met" if largest.total.seconds < TARGET_SECONDS else "MISSED"
    print(
        f"\nTarget for {largest.members} members: under {TARGET_SECONDS} s in total: {verdict} "
        f"({largest.total.seconds:.1f} s; on an unloaded machine)."
    )
    verdict = "met" if largest.ratio <= RATIO_TARGET else "MISSED"
    print(
        f"Target for {largest.members} members: at most {RATIO_TARGET}x bare Django's floor: {verdict} "
        f"({largest.ratio:.2f}x: {largest.total.seconds:.1f} s against {largest.floor_seconds:.1f} s)."
    )
    print(f"Load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    if len(results) > 1:
        smallest = min(results, key=lambda r: r.members)
        print(
            f"Send queries per batch: {smallest.send.queries / smallest.batches:.1f} at {smallest.members} "
            f"members, {largest.send.queries / largest.batches:.1f} at {largest.members}; dispatch queries "
            f"{smallest.dispatch.queries} -> {largest.dispatch.queries} (bulk inserts of 1,000 rows)."
        )


if __name__ == "__main__":
    sys.exit(main())
