"""A year of history behind the demo, so that the coordinator dashboard and the activity report
(reports/) show plausible numbers: more partners joining month by month (two left again), join
requests decided after a few days, meetings held every other month with answers, attendance,
published minutes, decisions and action items, questions answered, information published,
public subscribers, and the notification mails the portal sent (two of them failed).

The partners added here have no password: they fill the member list, they cannot sign in.
Dates are relative to the day the seed runs. Idempotent: built once, recognised by its first meeting.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

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
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
from groups.subscriptions import PAGE_MAIL
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes, Participant
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event, Mail
from projects.models import Project

# (name, organisation, months ago they joined, joined by request)
PARTNERS = [
    ("Anke Bruns", "Handwerkskammer Musterstadt", 12, True),
    ("Bernd Vogt", "Zentralverband des Deutschen Handwerks", 11, False),
    ("Carla Mertens", "Institut für Technik der Betriebsführung", 11, True),
    ("Deniz Aydın", "Beratungsgesellschaft Werkstatt & Wandel", 10, True),
    ("Elke Hansen", "Tischlerinnung Nordland", 9, True),
    ("Florian Maier", "Bundesanstalt für Arbeitsschutz und Arbeitsmedizin", 8, False),
    ("Gül Demir", "Handwerkskammer Musterstadt", 7, True),
    ("Hanna Schulte", "Stiftung Mittelstand – Gesellschaft – Verantwortung", 6, True),
    ("Ivo Petersen", "Beratungsgesellschaft Werkstatt & Wandel", 4, True),
    ("Jana Krüger", "Bundesministerium für Arbeit und Soziales", 3, False),
    ("Kemal Yilmaz", "Tischlerinnung Nordland", 2, True),
    ("Lea Hoffmann", "Institut für Technik der Betriebsführung", 1, True),
]
# Of them, these left again (months ago): one on their own, one removed by the coordination.
LEFT = {
    "Carla Mertens": (5, MembershipChange.Action.LEFT),
    "Ivo Petersen": (1, MembershipChange.Action.REMOVED),
}
# The demo accounts' own memberships began earlier than the day the seed ran.
DEMO_MEMBERS_SINCE = {
    "koordination@example.org": 13,
    "pruefung@example.org": 13,
    "innen@example.org": 12,
    "partner@example.org": 10,
}

MEETINGS = [
    # (months ago, title, decisions, action items: (title, state, due in days from the meeting))
    (
        11,
        "Sitzung der Fachgruppe Handwerk: Auftakt des Jahres",
        ["Die Fachgruppe trifft sich alle zwei Monate, abwechselnd online und vor Ort."],
        [("Terminplan für das Jahr verschicken", ActionItem.Status.DONE, 7)],
    ),
    (
        9,
        "Sitzung der Fachgruppe Handwerk: Ausbildung im ländlichen Raum",
        [
            "Die Fachgruppe sammelt Beispiele für Ausbildungsverbünde kleiner Betriebe.",
            "Die Kammern berichten in der nächsten Sitzung über ihre Zahlen.",
        ],
        [
            ("Beispiele für Ausbildungsverbünde zusammentragen", ActionItem.Status.DONE, 30),
            ("Zahlen der Kammern anfragen", ActionItem.Status.DONE, 21),
        ],
    ),
    (
        7,
        "Erfahrungsaustausch: Digitale Auftragsabwicklung",
        ["Ein Leitfaden zur Auswahl von Handwerkersoftware wird erarbeitet."],
        [
            ("Gliederung des Leitfadens entwerfen", ActionItem.Status.DONE, 28),
            ("Förderprogramme der Länder sichten", ActionItem.Status.OPEN, 45),
        ],
    ),
    (
        5,
        "Sitzung der Fachgruppe Handwerk: Modellprojekte vorstellen",
        ["Das vorgestellte Modellprojekt wird in die Projektdatenbank aufgenommen."],
        [("Projektsteckbrief für die Datenbank abstimmen", ActionItem.Status.DONE, 14)],
    ),
    (
        3,
        "Sitzung der Fachgruppe Handwerk: Nachfolge in kleinen Betrieben",
        [
            "Die Fachgruppe bereitet eine Information zur Betriebsnachfolge für Handwerksbetriebe vor.",
        ],
        [
            ("Entwurf der Information zur Nachfolge schreiben", ActionItem.Status.IN_PROGRESS, 30),
            ("Ansprechpersonen der Kammern für Nachfolge sammeln", ActionItem.Status.OPEN, 20),
        ],
    ),
]
INNER_MEETINGS = [
    (8, "Runde der Fachkräftezentren: Austausch der Kammern"),
    (4, "Runde der Fachkräftezentren: Zwischenbilanz"),
]
QUESTIONS = [
    # (months ago asked, days to the answer or None, status, title)
    (10, 12, Question.Status.ANSWERED, "Welche Förderung gibt es für Ausbildungsverbünde?"),
    (8, 25, Question.Status.ANSWERED, "Wie werben Friseurbetriebe um Auszubildende in sozialen Netzwerken?"),
    (6, 9, Question.Status.ANSWERED, "Was müssen Dachdeckerbetriebe beim Hitzeschutz beachten?"),
    (4, None, Question.Status.DECLINED, "Können Sie uns eine Steuerberatung empfehlen?"),
    (2, 18, Question.Status.ANSWERED, "Wie gelingt die Einarbeitung von Quereinsteigern im Metallbau?"),
]
PAGES = [
    (9, "Ausbildungsverbund: Gemeinsam ausbilden als kleiner Betrieb", "ausbildungsverbund"),
    (6, "Hitzeschutz auf dem Dach: Was Betriebe jetzt regeln sollten", "hitzeschutz-auf-dem-dach"),
    (2, "Quereinsteiger im Metallbau gut einarbeiten", "quereinsteiger-im-metallbau"),
]
SUBSCRIBERS = 24


def _months_ago(months: int, *, day: int = 12, hour: int = 15) -> datetime.datetime:
    today = timezone.localdate()
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime.datetime(year, month, min(day, 28), hour))


@transaction.atomic
def seed_history(*, users: dict[str, User]) -> None:
    if Meeting.objects.filter(title=MEETINGS[0][1]).exists():
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, the same every run
    fachgruppe = Space.objects.get(slug=FACHGRUPPE_SLUG)
    inner = Space.objects.get(slug=INNER_SLUG)
    coordinator = users["koordination@example.org"]
    for email, months in DEMO_MEMBERS_SINCE.items():
        Membership.objects.filter(user=users[email]).update(joined_at=_months_ago(months, day=3))
    partners = _partners(fachgruppe=fachgruppe, inner=inner, coordinator=coordinator)
    members = [users[email] for email in DEMO_MEMBERS_SINCE] + partners
    meetings = [
        _meeting(fachgruppe, months, title, decisions, items, people=members, by=coordinator, rng=rng)
        for months, title, decisions, items in MEETINGS
    ]
    inside = [users["koordination@example.org"], users["innen@example.org"], *partners[:2]]
    for months, title in INNER_MEETINGS:
        _meeting(inner, months, title, [], [], people=inside, by=coordinator, rng=rng)
    showcased = (
        Project.objects.filter(space=fachgruppe, status=Project.Status.ACCEPTED).order_by("pk").first()
    )
    if showcased is not None:
        AgendaItem.objects.filter(meeting=meetings[3], position=2).update(project=showcased)
    _questions(fachgruppe, asked_by=partners, by=coordinator)
    _information(fachgruppe, by=coordinator)
    _mails(fachgruppe, meetings=meetings, people=members, rng=rng)


def _partners(*, fachgruppe: Space, inner: Space, coordinator: User) -> list[User]:
    partners = []
    for number, (name, organisation, months, by_request) in enumerate(PARTNERS, 1):
        user, created = User.objects.get_or_create(
            email=f"partnerin-{number:02d}@example.org",
            defaults={"name": name, "organisation_name": organisation},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        joined = _months_ago(months, day=5 + number)
        if by_request:
            request = JoinRequest.objects.create(
                space=fachgruppe,
                user=user,
                message="Ich berate Handwerksbetriebe und möchte in der Fachgruppe mitarbeiten.",
                status=JoinRequest.Status.APPROVED,
                decided_by=coordinator,
            )
            JoinRequest.objects.filter(pk=request.pk).update(
                created_at=joined - datetime.timedelta(days=1 + number % 6), decided_at=joined
            )
        membership = Membership.objects.create(space=fachgruppe, user=user)
        Membership.objects.filter(pk=membership.pk).update(joined_at=joined)
        if name in LEFT:
            months_ago, action = LEFT[name]
            membership.delete()
            change = MembershipChange.objects.create(
                space=fachgruppe,
                person=user,
                action=action,
                role_before=Membership.Role.MEMBER,
                changed_by=coordinator if action == MembershipChange.Action.REMOVED else user,
            )
            MembershipChange.objects.filter(pk=change.pk).update(changed_at=_months_ago(months_ago, day=20))
            continue
        partners.append(user)
    # The inner circle takes two of them; a third asked and was declined.
    for user, months in zip(partners[:2], (9, 6), strict=True):
        Membership.objects.filter(pk=Membership.objects.create(space=inner, user=user).pk).update(
            joined_at=_months_ago(months, day=2)
        )
    declined = JoinRequest.objects.create(
        space=inner,
        user=partners[4],
        message="Ich würde gern im internen Kreis mitarbeiten.",
        status=JoinRequest.Status.DECLINED,
        decided_by=coordinator,
        reason="Der interne Kreis ist den Beraterinnen und Beratern der Handwerksorganisationen vorbehalten.",
    )
    JoinRequest.objects.filter(pk=declined.pk).update(
        created_at=_months_ago(5, day=3), decided_at=_months_ago(5, day=10)
    )
    return partners


def _meeting(space, months, title, decisions, items, *, people, by, rng) -> Meeting:
    starts = _months_ago(months)
    meeting = Meeting.objects.create(
        space=space,
        audience=space,
        title=title,
        kind=Meeting.Kind.ERFAHRUNGSAUSTAUSCH if "Erfahrungsaustausch" in title else Meeting.Kind.SITZUNG,
        status=Meeting.Status.HELD,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Videokonferenz" if months % 2 else "Handwerkskammer Musterstadt",
        agenda_published_at=starts - datetime.timedelta(days=10),
        created_by=by,
    )
    joined = [
        person for person in people if person.memberships.filter(space=space, joined_at__lt=starts).exists()
    ]
    response = Participant.Response
    for person in joined:
        answer = rng.choices(
            [response.ACCEPTED, response.EXCUSED, response.DECLINED, response.INVITED], weights=[70, 15, 8, 7]
        )[0]
        Participant.objects.create(
            meeting=meeting,
            user=person,
            response=answer,
            attended=(rng.random() < 0.9) if answer == response.ACCEPTED else False,
            responded_at=None if answer == response.INVITED else starts - datetime.timedelta(days=5),
        )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung und Protokoll")
    topic = AgendaItem.objects.create(
        meeting=meeting, position=2, title=title.split(": ", 1)[-1], discussion="Aussprache in der Runde."
    )
    for position, text in enumerate(decisions, 1):
        Decision.objects.create(agenda_item=topic, position=position, text=text)
    for item_title, state, due_days in items:
        ActionItem.objects.create(
            meeting=meeting,
            agenda_item=topic,
            title=item_title,
            status=state,
            due_date=(starts + datetime.timedelta(days=due_days)).date(),
            done_at=starts + datetime.timedelta(days=due_days - 3)
            if state == ActionItem.Status.DONE
            else None,
        ).assignees.set(rng.sample(joined, k=min(2, len(joined))))
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        published_at=starts + datetime.timedelta(days=4),
        published_by=by,
        approved_on=(starts + datetime.timedelta(days=60)).date() if months > 2 else None,
    )
    return meeting


def _questions(space: Space, *, asked_by: list[User], by: User) -> None:
    for number, (months, days, status, title) in enumerate(QUESTIONS):
        asked = _months_ago(months, day=4)
        question = Question.objects.create(
            space=space,
            audience=space,
            title=title,
            body="Eine Frage aus der Beratung, weitergegeben von der AG Transfer.",
            working_group="AG Transfer",
            asked_by=asked_by[number % len(asked_by)],
            status=status,
            decided_by=by,
            decided_at=asked + datetime.timedelta(days=2),
            answered_at=asked + datetime.timedelta(days=days) if days else None,
            decline_reason="Das gehört nicht zu den Themen der Fachgruppe." if days is None else "",
        )
        Question.objects.filter(pk=question.pk).update(created_at=asked)


def _information(space: Space, *, by: User) -> None:
    for months, title, slug in PAGES:
        published = _months_ago(months, day=18)
        page = InformationPage.objects.create(
            space=space,
            audience=None,
            title=title,
            slug=slug,
            summary="Was Handwerksbetriebe dazu wissen sollten, kurz gefasst.",
            body="## Worum es geht\n\nEine Information der Fachgruppe Handwerk für Betriebe.",
            author=by,
            published_at=published,
            # The demo mails nobody: the fan-out counts as done.
            subscribers_fanned_out_at=published,
        )
        InformationPage.objects.filter(pk=page.pk).update(created_at=published - datetime.timedelta(days=7))
    pages = list(InformationPage.objects.filter(slug__in=[slug for _months, _title, slug in PAGES]))
    for number in range(SUBSCRIBERS):
        confirmed = _months_ago(12 - number // 2, day=1 + number)
        subscriber = Subscriber.objects.create(
            email=f"betrieb-{number + 1:02d}@example.org",
            confirmed_at=confirmed,
            unsubscribed_at=confirmed + datetime.timedelta(days=90) if number % 8 == 3 else None,
        )
        Mail.objects.bulk_create(
            Mail(
                template=PAGE_MAIL,
                key=f"information:{page.pk}:{subscriber.pk}",
                params={"page": page.pk, "subscriber": subscriber.pk},
                recipient=subscriber.email,
                from_email="",
                subject=page.title,
                status=Mail.Status.SENT,
                sent_at=page.published_at,
            )
            for page in pages
            if page.published_at > confirmed
            and (subscriber.unsubscribed_at is None or page.published_at < subscriber.unsubscribed_at)
        )


def _mails(space: Space, *, meetings: list[Meeting], people: list[User], rng) -> None:
    """The mails the minutes of the meetings caused: sent at once or in a digest, two failed."""
    failed = 0
    for meeting in meetings:
        published = meeting.minutes.published_at
        event = Event.objects.create(
            kind=Kind.MINUTES_PUBLISHED,
            actor=meeting.created_by,
            space=space,
            audience=Event.Audience.RING,
            ring=space,
            data={"title": meeting.title},
            state=Event.State.DISPATCHED,
            dispatched_at=published,
        )
        rows = []
        for person in people:
            channel = rng.choice([Channel.IMMEDIATE, Channel.IMMEDIATE, Channel.DAILY, Channel.WEEKLY])
            broken = failed < 2 and rng.random() < 0.08
            failed += broken
            rows.append(
                Delivery(
                    event=event,
                    user=person,
                    channel=channel,
                    status=Delivery.Status.FAILED if broken else Delivery.Status.SENT,
                    attempts=5 if broken else 1,
                    failures=5 if broken else 0,
                    last_error="550 5.1.1 Mailbox unavailable" if broken else "",
                    sent_at=None if broken else published + datetime.timedelta(minutes=2),
                )
            )
        Delivery.objects.bulk_create(rows)
        Event.objects.filter(pk=event.pk).update(created_at=published)
        Delivery.objects.filter(event=event).update(created_at=published)
