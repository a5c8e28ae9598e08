"""Demo meetings: the founding meeting of the seed rebuilt with fictional people (its minutes
published and approved), an experience exchange held a few days ago whose minutes are a draft
being written, its follow-up, a tentative Fachgruppentreffen with an open date poll, a training
with a waiting list and a meeting of the inner circle. Idempotent: looked up by title, created
only when missing.

Dates are relative to the day the seed runs, so the demo always has a past and a future.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from groups.models import Space, User
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
from meetings import selectors
from meetings.models import (
    ActionItem,
    AgendaItem,
    DatePoll,
    Decision,
    Meeting,
    Minutes,
    Participant,
    PollAnswer,
    PollOption,
    Registration,
)

FOUNDING = "Sitzung der Fachgruppe Handwerk: Ziele und Rahmen"
FOLLOW_UP = "Sitzung der Fachgruppe Handwerk: Konzept und Datenbank"
TENTATIVE = "Fachgruppentreffen Frühjahr"
TRAINING = "Schulung: Kooperative Beratung im Handwerksbetrieb"
INNER = "Runde der Fachkräftezentren: Prüfungszahlen"
EXCHANGE = "Erfahrungsaustausch: Fachkräfte gewinnen im Handwerk"
EXCHANGE_DAYS_AGO = 5


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def seed_meetings(*, users: dict[str, User]) -> None:
    fachgruppe = Space.objects.get(slug=FACHGRUPPE_SLUG)
    inner = Space.objects.get(slug=INNER_SLUG)
    coordinator = users["koordination@example.org"]
    follow_up = _follow_up(fachgruppe, users)
    _founding(fachgruppe, users, next_meeting=follow_up)
    _exchange(fachgruppe, users, next_meeting=follow_up)
    _founding_approved(users)
    _tentative(fachgruppe, users)
    _training(fachgruppe, users)
    if not Meeting.objects.filter(title=INNER).exists():
        meeting = Meeting.objects.create(
            space=inner,
            audience=inner,
            title=INNER,
            kind=Meeting.Kind.ERFAHRUNGSAUSTAUSCH,
            starts_at=_at(21, 10),
            ends_at=_at(21, 12),
            place="Handwerkskammer Musterstadt, Raum 2.14",
            created_by=coordinator,
        )
        AgendaItem.objects.create(
            meeting=meeting, position=1, title="Prüfungszahlen im Vergleich der Kammern"
        )
        AgendaItem.objects.create(meeting=meeting, position=2, title="Was teilen wir mit der Fachgruppe?")
        for email in ("koordination@example.org", "innen@example.org"):
            Participant.objects.create(
                meeting=meeting, user=users[email], response=Participant.Response.ACCEPTED
            )


def _founding(space: Space, users: dict[str, User], *, next_meeting: Meeting) -> None:
    if Meeting.objects.filter(title=FOUNDING).exists():
        return
    meeting = Meeting.objects.create(
        space=space,
        audience=space,
        title=FOUNDING,
        kind=Meeting.Kind.SITZUNG,
        status=Meeting.Status.HELD,
        starts_at=_at(-70, 15),
        ends_at=_at(-70, 17),
        place="Videokonferenz",
        video_url="https://meet.example.org/fachgruppe-handwerk",
        agenda_published_at=timezone.now() - datetime.timedelta(days=80),
        next_meeting=next_meeting,
        created_by=users["koordination@example.org"],
    )
    for email in ("koordination@example.org", "innen@example.org", "partner@example.org"):
        Participant.objects.create(
            meeting=meeting, user=users[email], response=Participant.Response.ACCEPTED, attended=True
        )
    guests = [
        (
            "Dr. Petra Lindner",
            "Bundesanstalt für Arbeitsschutz und Arbeitsmedizin",
            Participant.Response.ACCEPTED,
        ),
        ("Frank Olbrich", "Bundesministerium für Arbeit und Soziales", Participant.Response.ACCEPTED),
        ("Katrin Weiß", "Institut für Technik der Betriebsführung", Participant.Response.EXCUSED),
    ]
    for name, organisation, response in guests:
        Participant.objects.create(
            meeting=meeting,
            name=name,
            organisation=organisation,
            email=f"{name.split()[-1].lower()}@example.org",
            response=response,
            attended=response == Participant.Response.ACCEPTED,
            note="Terminüberschneidung" if response == Participant.Response.EXCUSED else "",
        )
    welcome = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Begrüßung",
        discussion="Die Koordination begrüßt die Runde. Aus dem Ministerium kommt der Hinweis, dass sich "
        "eine geplante Förderbekanntmachung verschiebt.",
    )
    goals = AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        title="Welche Ziele verfolgt die Fachgruppe Handwerk künftig?",
        details="- Wie passen Fachgruppe und Fachkräftezentren Handwerk zusammen?\n"
        "- Wer gehört zur Kernzielgruppe, welche Rolle spielen freie Beraterinnen und Berater?\n"
        "- Welche Modellprojekte stellen wir noch vor?",
        duration_minutes=75,
        discussion="Die Runde sieht Fachgruppe und internen Kreis als Ringe eines Zwiebelmodells, nicht als "
        "Konkurrenz. Der interne Kreis bespricht Fragen der Handwerksorganisationen und wird über die "
        "Fachgruppe informiert und zur Mitarbeit eingeladen.",
    )
    Decision.objects.create(
        agenda_item=goals,
        position=1,
        text="Fachkräftezentren Handwerk und Fachgruppe Handwerk bilden ein Zwiebelmodell; die Fachgruppe "
        "bleibt offen für alle Partner, die Handwerksbetriebe beraten.",
    )
    Decision.objects.create(
        agenda_item=goals,
        position=2,
        text="Vorgestellt werden nur noch Modellprojekte, die übertragbar sind und dem Handwerk einen "
        "Mehrwert bringen.",
    )
    Decision.objects.create(
        agenda_item=goals,
        position=3,
        text="Ein Konzept beschreibt Spielregeln und Rahmen der Zusammenarbeit.",
    )
    next_steps = AgendaItem.objects.create(meeting=meeting, position=3, title="Weiteres Vorgehen")
    concept = ActionItem.objects.create(
        meeting=meeting,
        agenda_item=next_steps,
        title="Konzept schreiben, wie sich Fachgruppe und Fachkräftezentren ergänzen",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        status=ActionItem.Status.IN_PROGRESS,
    )
    concept.assignees.set([users["innen@example.org"], users["partner@example.org"]])
    ActionItem.objects.create(
        meeting=meeting,
        agenda_item=next_steps,
        title="Konzept zur Diskussion an die Runde verschicken",
        other_assignees="Koordination",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    ).assignees.set([users["koordination@example.org"]])
    ActionItem.objects.create(
        meeting=meeting,
        agenda_item=welcome,
        title="Einladung zur nächsten Sitzung verschicken",
        status=ActionItem.Status.DONE,
        done_at=timezone.now() - datetime.timedelta(days=60),
    )
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(days=65),
        published_by=users["koordination@example.org"],
    )


def _founding_approved(users: dict[str, User]) -> None:
    """The founding minutes were approved at the experience exchange (German Protokolle note it)."""
    Minutes.objects.filter(meeting__title=FOUNDING, approved_on__isnull=True).update(
        approved_on=timezone.localdate() - datetime.timedelta(days=EXCHANGE_DAYS_AGO),
        approved_by=users["koordination@example.org"],
    )


def _exchange(space: Space, users: dict[str, User], *, next_meeting: Meeting) -> None:
    """Held a few days ago; the coordination is writing its minutes (a draft, saved as typed)."""
    if Meeting.objects.filter(title=EXCHANGE).exists():
        return
    meeting = Meeting.objects.create(
        space=space,
        audience=space,
        title=EXCHANGE,
        kind=Meeting.Kind.ERFAHRUNGSAUSTAUSCH,
        status=Meeting.Status.HELD,
        starts_at=_at(-EXCHANGE_DAYS_AGO, 14),
        ends_at=_at(-EXCHANGE_DAYS_AGO, 16),
        place="Videokonferenz",
        video_url="https://meet.example.org/fachgruppe-handwerk",
        agenda_published_at=timezone.now() - datetime.timedelta(days=EXCHANGE_DAYS_AGO + 7),
        next_meeting=next_meeting,
        created_by=users["koordination@example.org"],
    )
    for email in ("koordination@example.org", "innen@example.org", "partner@example.org"):
        Participant.objects.create(
            meeting=meeting, user=users[email], response=Participant.Response.ACCEPTED, attended=True
        )
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Genehmigung des Protokolls der letzten Sitzung",
        discussion="Das Protokoll der Sitzung „Ziele und Rahmen“ wird ohne Änderungen genehmigt.",
    )
    recruiting = AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        title="Wie gewinnen kleine Betriebe Auszubildende?",
        duration_minutes=60,
        discussion="Berichte aus drei Kammerbezirken: Praktika in den Ferien wirken am besten; "
        "Betriebe wünschen sich Vorlagen für Stellenanzeigen in sozialen Netzwerken.",
    )
    Decision.objects.create(
        agenda_item=recruiting,
        position=1,
        text="Die Fachgruppe sammelt gelungene Stellenanzeigen von Handwerksbetrieben als Vorlagen.",
    )
    AgendaItem.objects.create(meeting=meeting, position=3, title="Verschiedenes")
    Minutes.objects.create(
        meeting=meeting,
        introduction="Die Koordination begrüßt die Runde und stellt die Beschlussfähigkeit fest.",
    )


def _follow_up(space: Space, users: dict[str, User]) -> Meeting:
    meeting = Meeting.objects.filter(title=FOLLOW_UP).first()
    if meeting is not None:
        return meeting
    meeting = Meeting.objects.create(
        space=space,
        audience=space,
        title=FOLLOW_UP,
        kind=Meeting.Kind.SITZUNG,
        starts_at=_at(16, 13),
        ends_at=_at(16, 15),
        place="Videokonferenz",
        video_url="https://meet.example.org/fachgruppe-handwerk",
        agenda_published_at=timezone.now(),
        created_by=users["koordination@example.org"],
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung", duration_minutes=10)
    AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        title="Konzeptentwurf: Fachgruppe und Fachkräftezentren",
        details="Vorstellung des Entwurfs und Aussprache",
        presenter=users["innen@example.org"],
        duration_minutes=45,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        position=3,
        title="Die Projektdatenbank des ZDH: eigene Vorschläge aus dem Handwerk",
        duration_minutes=45,
    )
    for email, response in [
        ("koordination@example.org", Participant.Response.ACCEPTED),
        ("innen@example.org", Participant.Response.ACCEPTED),
        ("partner@example.org", Participant.Response.INVITED),
    ]:
        Participant.objects.create(meeting=meeting, user=users[email], response=response)
    # The rest of the Fachgruppe is invited as a whole (as "Ganzer Kreis" does; no mails from the demo).
    invited = set(meeting.participants.values_list("user_id", flat=True))
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting, user=user, name=user.name, organisation=user.organisation_name, email=user.email
        )
        for user in selectors.invitable_people(meeting=meeting).exclude(pk__in=invited)
    )
    return meeting


def _tentative(space: Space, users: dict[str, User]) -> None:
    if Meeting.objects.filter(title=TENTATIVE).exists():
        return
    meeting = Meeting.objects.create(
        space=space,
        audience=space,
        title=TENTATIVE,
        kind=Meeting.Kind.FACHGRUPPENTREFFEN,
        status=Meeting.Status.TENTATIVE,
        tentative_period="Februar/März",
        place="Berlin (Ort folgt)",
        created_by=users["koordination@example.org"],
    )
    poll = DatePoll.objects.create(meeting=meeting)
    options = [
        PollOption.objects.create(poll=poll, starts_at=_at(days, 10), ends_at=_at(days, 16))
        for days in (84, 91, 98)
    ]
    answers = {
        "innen@example.org": ["yes", "maybe", "no"],
        "partner@example.org": ["no", "yes", "yes"],
    }
    for email, replies in answers.items():
        for option, answer in zip(options, replies, strict=True):
            PollAnswer.objects.create(option=option, user=users[email], answer=answer)


def _training(space: Space, users: dict[str, User]) -> None:
    if Meeting.objects.filter(title=TRAINING).exists():
        return
    meeting = Meeting.objects.create(
        space=space,
        audience=None,
        title=TRAINING,
        kind=Meeting.Kind.SCHULUNG,
        starts_at=_at(30, 9),
        ends_at=_at(30, 16),
        place="Bildungszentrum der Handwerkskammer Musterstadt",
        description="Wie Beraterinnen und Berater mehrerer Partner einen Betrieb gemeinsam begleiten.",
        capacity=3,
        registration_open=True,
        open_to_partners=True,
        created_by=users["koordination@example.org"],
    )
    for email, status in [
        ("innen@example.org", Registration.Status.CONFIRMED),
        ("partner@example.org", Registration.Status.CONFIRMED),
        ("koordination@example.org", Registration.Status.CONFIRMED),
        ("gast@example.org", Registration.Status.WAITING),
    ]:
        Registration.objects.create(meeting=meeting, user=users[email], status=status)
