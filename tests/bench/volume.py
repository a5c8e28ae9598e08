"""The data of `make bench VOLUME=1`: a portal years into its life, built with bulk inserts.

`python -m tests.bench.volume` (run by tests/bench/run.py in the portal's
environment, on top of the demo data) adds to the Fachgruppe 100,000 accepted
public projects, 20,000 meetings (four agenda items each, published minutes for
every fourth past one) and 25,000 threads with 100,000 posts. Rows go in through
the models' bulk_create, so only columns the models have are filled and new
columns get their defaults. Searching finds the common word ("Ausbildung") in
about a third of the projects and the rare one ("Zwetschgenkuchen") in 20.
"""

import datetime
import random
import sys
import time

import django

PROJECTS = 100_000
MEETINGS = 20_000
AGENDA_ITEMS_PER_MEETING = 4
THREADS = 25_000
POSTS_PER_THREAD = 4
BATCH = 5_000
COMMON_WORD = "Ausbildung"
RARE_WORD = "Zwetschgenkuchen"
RARE_PROJECTS = 20

_WORDS = [
    "Betrieb",
    "Handwerk",
    "Nachwuchs",
    "Digitalisierung",
    "Beratung",
    "Fachkräfte",
    "Meister",
    "Innung",
    "Kammer",
    "Werkstatt",
    "Energie",
    "Klima",
    "Sanierung",
    "Gebäude",
    "Holz",
    "Metall",
    "Elektro",
    "Bäcker",
    "Friseur",
    "Dachdecker",
    "Tischler",
    "Maler",
    "Qualifizierung",
    "Weiterbildung",
    "Netzwerk",
    "Region",
    "Kooperation",
    "Übergabe",
    "Nachfolge",
    "Gründung",
    "Mentoring",
    "Schule",
    "Praktikum",
    "Integration",
    "Sprache",
    "Fördermittel",
    "Prozess",
    "Qualität",
    "Kunden",
    "Marketing",
    "Werkzeug",
]


def _sentence(rng: random.Random, words: int, *, extra: str = "") -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    if extra:
        chosen.insert(rng.randrange(len(chosen) + 1), extra)
    return " ".join(chosen).capitalize() + "."


def _bulk(model, rows, label: str) -> list:
    started = time.monotonic()
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH))
    print(f"  {len(rows):>7} {label} in {time.monotonic() - started:.1f} s", flush=True)
    return created


def build() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from groups.models import Organisation, Post, Space, Thread, Topic, Trade, User
    from groups.spaces import FACHGRUPPE_SLUG
    from meetings.models import AgendaItem, Meeting, Minutes
    from projects.models import Project

    rng = random.Random(2026)
    now = timezone.now()
    space = Space.objects.get(slug=FACHGRUPPE_SLUG)
    people = list(User.objects.filter(memberships__space=space).distinct())
    organisations = list(Organisation.objects.all()) or [None]
    trades, topics = list(Trade.objects.all()), list(Topic.objects.all())

    with transaction.atomic():
        rare = set(rng.sample(range(PROJECTS), RARE_PROJECTS))
        projects = []
        for number in range(PROJECTS):
            extra = RARE_WORD if number in rare else (COMMON_WORD if number % 3 == 0 else "")
            accepted = now - datetime.timedelta(minutes=number * 7)
            projects.append(
                Project(
                    space=space,
                    audience=None,
                    status=Project.Status.ACCEPTED,
                    slug=f"volumen-{number}",
                    title=_sentence(rng, 5, extra=extra if number % 2 else "")[:-1],
                    summary=_sentence(rng, 30, extra=extra),
                    description=" ".join(_sentence(rng, 20) for _ in range(6)),
                    organisation=rng.choice(organisations),
                    submitted_by=rng.choice(people),
                    submitted_at=accepted - datetime.timedelta(days=30),
                    accepted_at=accepted,
                )
            )
        projects = _bulk(Project, projects, "accepted projects")
        if trades:
            through = Project.trades.through
            _bulk(through, [through(project=p, trade=rng.choice(trades)) for p in projects], "project trades")
        if topics:
            through = Project.topics.through
            _bulk(through, [through(project=p, topic=rng.choice(topics)) for p in projects], "project topics")

        meetings = []
        for number in range(MEETINGS):
            # Seven years of weekly-ish meetings, a few dozen still ahead.
            starts = now + datetime.timedelta(days=60 - number * 0.13 * 7, hours=rng.randrange(8))
            meetings.append(
                Meeting(
                    space=space,
                    audience=space,
                    title=f"Sitzung {number}: {_sentence(rng, 3)[:-1]}",
                    kind=rng.choice(Meeting.Kind.values),
                    status=Meeting.Status.HELD if starts < now else Meeting.Status.PLANNED,
                    description=_sentence(rng, 25),
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="Videokonferenz",
                )
            )
        meetings = _bulk(Meeting, meetings, "meetings")
        items = [
            AgendaItem(
                meeting=meeting,
                position=position,
                title=_sentence(rng, 4)[:-1],
                details=_sentence(rng, 12),
                discussion=_sentence(rng, 40) if meeting.starts_at < now else "",
            )
            for meeting in meetings
            for position in range(1, AGENDA_ITEMS_PER_MEETING + 1)
        ]
        _bulk(AgendaItem, items, "agenda items")
        past = [meeting for meeting in meetings if meeting.starts_at < now]
        minutes = [
            Minutes(
                meeting=meeting,
                status=Minutes.Status.PUBLISHED,
                introduction=_sentence(rng, 20),
                published_at=meeting.starts_at + datetime.timedelta(days=3),
                version=1,
            )
            for meeting in past[::4]
        ]
        _bulk(Minutes, minutes, "published minutes")

        threads = _bulk(
            Thread,
            [
                Thread(space=space, audience=space, title=_sentence(rng, 6)[:-1], author=rng.choice(people))
                for _ in range(THREADS)
            ],
            "threads",
        )
        posts = [
            Post(thread=thread, author=rng.choice(people), body=_sentence(rng, 40))
            for thread in threads
            for _ in range(POSTS_PER_THREAD)
        ]
        _bulk(Post, posts, "posts")
        # Spread the activity over the years, as the lists order and the feeds window by it.
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Thread._meta.db_table)
            cursor.execute(
                f"UPDATE {table} SET last_activity_at = created_at - mod(id, 60000) * interval '1 hour'"  # noqa: S608 - our table name
                " WHERE id >= %s",
                [threads[0].pk],
            )


def main() -> int:
    django.setup()
    started = time.monotonic()
    print("Building the volume data ...", flush=True)
    build()
    print(f"Volume data built in {time.monotonic() - started:.0f} s.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
