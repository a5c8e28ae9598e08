"""The figures of a space's coordinator dashboard, section by section.

Every figure is an aggregate the database computes (TruncMonth, Count, Sum,
Avg): no section loads the rows it counts, and each asks a fixed number of
queries whatever the volume, so the page's number of queries is constant
(tests/reports/test_dashboard.py pins it). The meetings' finished months are
kept in the shared cache until their meetings change (reports.meeting_months).
The content counted is the space's own (groups.access.coordination_scope);
memberships, join requests and the outbox belong to the space directly. The
activity report's stored PDF is looked up here too (`stored_report`); rendering
and storing it is reports.pdf.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from groups import access
from groups.models import (
    InformationPage,
    JoinRequest,
    Membership,
    MembershipChange,
    Question,
    Space,
    Subscriber,
)
from groups.subscriptions import PAGE_MAIL
from meetings.models import Meeting
from portal.notifications import tallies
from portal.notifications.kinds import Channel
from portal.notifications.models import Delivery, Event
from projects.models import Decision as ProjectDecision
from projects.models import Project, Submission
from reports import charts, meeting_months
from reports.meeting_months import held_meetings
from reports.models import ActivityReport
from reports.periods import Period
from reports.tables import Column, Kind, Table, display, month_text

# The page shows the latest meetings of the period; the CSV has every one.
MEETINGS_ON_PAGE = 24
MEETINGS_IN_CHART = 12
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Fact:
    label: str
    value: object
    kind: str = Kind.NUMBER

    @property
    def text(self) -> str:
        return display(self.value, self.kind)


@dataclass
class Section:
    slug: str
    title: str
    table: Table
    chart: charts.Chart | None = None
    facts: list[Fact] = field(default_factory=list)


def _month_label(month: datetime.date) -> str:
    return month_text(month, "M Y")


def _duration(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _days(value: datetime.timedelta | None) -> float | None:
    return round(value / DAY, 1) if value is not None else None


def _monthly(queryset, field_name: str, *, since: datetime.datetime, until=None, **aggregates) -> dict:
    """The aggregates per month of `field_name` (in the portal's time zone) from `since` on."""
    rows = queryset.filter(**{f"{field_name}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{field_name}__lt": until})
    rows = (
        rows.annotate(month=TruncMonth(field_name, tzinfo=timezone.get_default_timezone()))
        .values("month")
        .annotate(**aggregates)
        .order_by("month")
    )
    return {row["month"].date(): row for row in rows}


def _row(by_month: dict, month: datetime.date, name: str) -> int:
    return (by_month.get(month) or {}).get(name) or 0


def _series_description(title: str, period: Period) -> str:
    return _(
        "%(title)s, Monat für Monat von %(first)s bis %(last)s. "
        "Die Tabelle neben dem Diagramm enthält dieselben Zahlen."
    ) % {
        "title": title,
        "first": date_format(period.months[0], "YEAR_MONTH_FORMAT"),
        "last": date_format(period.months[-1], "YEAR_MONTH_FORMAT"),
    }


# --- Members ---------------------------------------------------------------------------


def members(*, space: Space, period: Period) -> Section:
    """Joins and leaves per month and the members at each month's end.

    The number at a month's end is reckoned back from today's members (the joins since undone,
    the leaves since added back). Memberships that ended no longer carry their start, so a
    person who joined and left again counts as a leave only.
    """
    joined = _monthly(
        Membership.objects.filter(space=space), "joined_at", since=period.start_at, n=Count("pk")
    )
    left = _monthly(
        MembershipChange.objects.filter(
            space=space, action__in=[MembershipChange.Action.REMOVED, MembershipChange.Action.LEFT]
        ),
        "changed_at",
        since=period.start_at,
        n=Count("pk"),
    )
    today = Membership.objects.filter(space=space).count()
    later_months = sorted(set(joined) | set(left))
    rows, chart_totals = [], []
    for month in period.months:
        after = [m for m in later_months if m > month]
        at_end = today - sum(_row(joined, m, "n") for m in after) + sum(_row(left, m, "n") for m in after)
        rows.append([month, _row(joined, month, "n"), _row(left, month, "n"), at_end])
        chart_totals.append(at_end)
    title = _("Mitglieder")
    return Section(
        slug="members",
        title=title,
        table=Table(
            slug="members",
            caption=_("Mitglieder: Beitritte, Austritte und Mitglieder am Ende jedes Monats"),
            columns=[
                Column(_("Monat"), Kind.MONTH),
                Column(_("Beigetreten")),
                Column(_("Ausgetreten oder entfernt")),
                Column(_("Mitglieder am Monatsende")),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="members",
            title=_("Beitritte und Austritte je Monat"),
            description=_series_description(_("Beitritte und Austritte von Mitgliedern"), period),
            categories=[_month_label(month) for month in period.months],
            series=[
                (_("Beigetreten"), [row[1] for row in rows]),
                (_("Ausgetreten oder entfernt"), [row[2] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Mitglieder heute"), today),
            Fact(_("Mitglieder zu Beginn des Zeitraums"), rows[0][3] - rows[0][1] + rows[0][2]),
        ],
    )


# --- Join requests ---------------------------------------------------------------------


def join_requests(*, space: Space, period: Period) -> Section:
    requests = JoinRequest.objects.filter(space=space)
    status = JoinRequest.Status
    by_month = _monthly(
        requests,
        "created_at",
        since=period.start_at,
        until=period.end_at,
        received=Count("pk"),
        approved=Count("pk", filter=Q(status=status.APPROVED)),
        declined=Count("pk", filter=Q(status=status.DECLINED)),
        withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
    )
    decided = Q(status__in=[status.APPROVED, status.DECLINED], **period.range("decided_at"))
    totals = requests.aggregate(
        waiting=Count("pk", filter=Q(status=status.PENDING)),
        oldest=Min("created_at", filter=Q(status=status.PENDING)),
        turnaround=Avg(_duration("created_at", "decided_at"), filter=decided),
    )
    names = ["received", "approved", "declined", "withdrawn", "pending"]
    rows = [[month, *(_row(by_month, month, name) for name in names)] for month in period.months]
    waiting_days = (timezone.now() - totals["oldest"]) / DAY if totals["oldest"] else None
    return Section(
        slug="join-requests",
        title=_("Beitrittsanfragen"),
        table=Table(
            slug="join-requests",
            caption=_("Beitrittsanfragen nach dem Monat ihres Eingangs und danach, was aus ihnen wurde"),
            columns=[
                Column(_("Monat"), Kind.MONTH),
                Column(_("Eingegangen")),
                Column(_("Angenommen")),
                Column(_("Abgelehnt")),
                Column(_("Zurückgezogen")),
                Column(_("Noch offen")),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="join-requests",
            title=_("Beitrittsanfragen je Monat"),
            description=_series_description(_("Eingegangene und angenommene Beitrittsanfragen"), period),
            categories=[_month_label(month) for month in period.months],
            series=[
                (_("Eingegangen"), [row[1] for row in rows]),
                (_("Angenommen"), [row[2] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Offene Anfragen heute"), totals["waiting"]),
            Fact(
                _("Tage, die die älteste offene Anfrage wartet"),
                waiting_days and round(waiting_days, 1),
                Kind.DECIMAL,
            ),
            Fact(
                _("Durchschnittliche Tage bis zur Entscheidung (im Zeitraum entschieden)"),
                _days(totals["turnaround"]),
                Kind.DECIMAL,
            ),
        ],
    )


# --- Meetings and attendance -----------------------------------------------------------


def _rate(attended: int, invited: int) -> float | None:
    return round(100 * attended / invited, 1) if invited else None


def meetings(*, space: Space, period: Period, limit: int | None = MEETINGS_ON_PAGE) -> Section:
    held = held_meetings(space=space, period=period)
    latest = held
    if limit is not None:
        # The page's meetings first (through the starts_at index), then only their participants counted.
        latest = Meeting.objects.filter(
            pk__in=Subquery(held.order_by("-starts_at", "-pk").values("pk")[:limit])
        )
    listed = list(
        latest.order_by("-starts_at", "-pk")
        .values("pk", "starts_at", "title", "kind")
        .annotate(**meeting_months.attendance())
    )
    # Per month, the finished ones kept (reports.meeting_months); no COUNT(DISTINCT) over a join.
    by_month = meeting_months.attendance_by_month(space=space, period=period).values()
    totals = {name: sum(month[name] for month in by_month) for name in ("invited", "attended")}
    count = held.count() if limit is not None and len(listed) == limit else len(listed)
    kinds = dict(Meeting.Kind.choices)
    rows = [
        [
            timezone.localdate(row["starts_at"]),
            row["title"],
            kinds.get(row["kind"], row["kind"]),
            row["invited"],
            row["accepted"],
            row["excused"],
            row["declined"],
            row["attended"],
            _rate(row["attended"], row["invited"]),
        ]
        for row in listed
    ]
    charted = list(reversed(rows[:MEETINGS_IN_CHART]))
    note = ""
    if limit is not None and count > len(rows):
        note = _("Die letzten %(shown)s von %(count)s Sitzungen; die CSV-Datei enthält alle.") % {
            "shown": len(rows),
            "count": count,
        }
    return Section(
        slug="meetings",
        title=_("Sitzungen und Teilnahme"),
        table=Table(
            slug="meetings",
            caption=_("Sitzungen im Zeitraum mit den Rückmeldungen der Eingeladenen und der Anwesenheit"),
            columns=[
                Column(_("Datum"), Kind.DATE),
                Column(_("Sitzung"), Kind.TEXT),
                Column(_("Art"), Kind.TEXT),
                Column(_("Eingeladen")),
                Column(_("Zugesagt")),
                Column(_("Entschuldigt")),
                Column(pgettext("answer to an invitation", "Abgesagt")),
                Column(_("Anwesend")),
                Column(_("Anwesenheitsquote (%)"), Kind.PERCENT),
            ],
            rows=rows,
            note=note,
        ),
        chart=charts.bar_chart(
            key="meetings",
            title=_("Antworten und Anwesenheit je Sitzung"),
            description=_(
                "Zusagen, Entschuldigungen, Absagen und Anwesende für jede der letzten %(count)s Sitzungen, "
                "die älteste zuerst. Die Tabelle neben dem Diagramm enthält dieselben Zahlen."
            )
            % {"count": len(charted)},
            categories=[date_format(row[0], "SHORT_DATE_FORMAT") for row in charted],
            series=[
                (_("Zugesagt"), [row[4] for row in charted]),
                (_("Entschuldigt"), [row[5] for row in charted]),
                (pgettext("answer to an invitation", "Abgesagt"), [row[6] for row in charted]),
                (_("Anwesend"), [row[7] for row in charted]),
            ]
            if charted
            else [],
        )
        if charted
        else None,
        facts=[
            Fact(_("Abgehaltene Sitzungen"), count),
            Fact(_("Anwesende insgesamt"), totals["attended"]),
            Fact(
                _("Anwesenheitsquote über alle Sitzungen (%)"),
                _rate(totals["attended"], totals["invited"]),
                Kind.PERCENT,
            ),
        ],
    )


# --- Decisions and action items --------------------------------------------------------


def decisions_and_action_items(*, space: Space, period: Period) -> Section:
    # Per month of the meetings' start, the finished months kept (reports.meeting_months).
    items = meeting_months.actions_by_month(space=space, period=period)
    rows = []
    for month in period.months:
        timed = _row(items, month, "timed")
        to_done = (items.get(month) or {}).get("to_done")
        rows.append(
            [
                month,
                _row(items, month, "decisions"),
                _row(items, month, "total"),
                _row(items, month, "open"),
                _row(items, month, "overdue"),
                _row(items, month, "done"),
                _days(to_done / timed) if timed and to_done is not None else None,
            ]
        )
    timed = sum(_row(items, month, "timed") for month in items)
    to_done = sum(
        (row["to_done"] for row in items.values() if row["to_done"] is not None), datetime.timedelta()
    )
    return Section(
        slug="decisions",
        title=_("Beschlüsse und Aufgaben"),
        table=Table(
            slug="decisions",
            caption=_("Beschlüsse und Aufgaben der Sitzungen je Monat, mit dem heutigen Stand der Aufgaben"),
            columns=[
                Column(_("Monat"), Kind.MONTH),
                Column(_("Beschlüsse")),
                Column(_("Aufgaben")),
                Column(_("Offen")),
                Column(_("Überfällig")),
                Column(_("Erledigt")),
                Column(_("Durchschnittliche Tage bis erledigt"), Kind.DECIMAL),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="decisions",
            title=_("Aufgaben je Monat: offen, überfällig, erledigt"),
            description=_series_description(_("Aufgaben nach ihrem heutigen Stand"), period),
            categories=[_month_label(month) for month in period.months],
            series=[
                (_("Offen"), [row[3] for row in rows]),
                (_("Überfällig"), [row[4] for row in rows]),
                (_("Erledigt"), [row[5] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Beschlüsse"), sum(row[1] for row in rows)),
            Fact(_("Offene Aufgaben"), sum(row[3] for row in rows)),
            Fact(_("Davon überfällig"), sum(row[4] for row in rows)),
            Fact(_("Erledigte Aufgaben"), sum(row[5] for row in rows)),
            Fact(
                _("Durchschnittliche Tage bis erledigt"),
                _days(to_done / timed) if timed else None,
                Kind.DECIMAL,
            ),
        ],
    )


# --- Questions -------------------------------------------------------------------------


def questions(*, space: Space, period: Period) -> Section:
    status = Question.Status
    answered = Q(status=status.ANSWERED, answered_at__isnull=False)
    by_month = _monthly(
        access.coordination_scope(Question.objects.all(), space=space),
        "created_at",
        since=period.start_at,
        until=period.end_at,
        received=Count("pk"),
        answered=Count("pk", filter=Q(status=status.ANSWERED)),
        declined=Count("pk", filter=Q(status=status.DECLINED)),
        merged=Count("pk", filter=Q(status=status.MERGED)),
        open=Count("pk", filter=Q(status__in=[status.SUBMITTED, status.ACCEPTED])),
        to_answer=Sum(_duration("created_at", "answered_at"), filter=answered),
        timed=Count("pk", filter=answered),
    )
    rows = []
    for month in period.months:
        timed, to_answer = _row(by_month, month, "timed"), (by_month.get(month) or {}).get("to_answer")
        rows.append(
            [
                month,
                *(
                    _row(by_month, month, name)
                    for name in ("received", "answered", "declined", "merged", "open")
                ),
                _days(to_answer / timed) if timed and to_answer is not None else None,
            ]
        )
    timed = sum(row["timed"] for row in by_month.values())
    to_answer = sum((row["to_answer"] for row in by_month.values() if row["to_answer"]), datetime.timedelta())
    return Section(
        slug="questions",
        title=_("Fragen"),
        table=Table(
            slug="questions",
            caption=_("Fragen nach dem Monat ihres Eingangs und ihrem heutigen Stand"),
            columns=[
                Column(_("Monat"), Kind.MONTH),
                Column(_("Eingegangen")),
                Column(_("Beantwortet")),
                Column(_("Abgelehnt")),
                Column(_("Zusammengeführt")),
                Column(_("Offen")),
                Column(_("Durchschnittliche Tage bis zur Antwort"), Kind.DECIMAL),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="questions",
            title=_("Eingegangene und beantwortete Fragen je Monat"),
            description=_series_description(_("Eingegangene und beantwortete Fragen"), period),
            categories=[_month_label(month) for month in period.months],
            series=[
                (_("Eingegangen"), [row[1] for row in rows]),
                (_("Beantwortet"), [row[2] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Eingegangene Fragen"), sum(row[1] for row in rows)),
            Fact(_("Noch offen"), sum(row[5] for row in rows)),
            Fact(
                _("Durchschnittliche Tage bis zur Antwort"),
                _days(to_answer / timed) if timed else None,
                Kind.DECIMAL,
            ),
        ],
    )


# --- Model projects --------------------------------------------------------------------


def projects(*, space: Space, period: Period) -> Section:
    scope = access.coordination_scope(Project.objects.all(), space=space)
    submitted = dict(
        Submission.objects.filter(project__in=scope, **period.range("submitted_at"))
        .order_by()  # without it the model's order by project joins the projects a second time
        .values_list("number")
        .annotate(n=Count("pk"))
        .values_list("number", "n")
    )
    outcome = ProjectDecision.Outcome
    decided = {
        row["round"]: row
        for row in ProjectDecision.objects.filter(project__in=scope, **period.range("decided_at"))
        .values("round")
        .annotate(
            accepted=Count("pk", filter=Q(outcome=outcome.ACCEPTED)),
            returned=Count("pk", filter=Q(outcome=outcome.RETURNED)),
            declined=Count("pk", filter=Q(outcome=outcome.DECLINED)),
        )
        .order_by("round")
    }
    waiting = {
        row["round"]: row
        for row in scope.filter(status__in=[Project.Status.SUBMITTED, Project.Status.IN_REVIEW])
        .values("round")
        .annotate(
            submitted=Count("pk", filter=Q(status=Project.Status.SUBMITTED)),
            in_review=Count("pk", filter=Q(status=Project.Status.IN_REVIEW)),
        )
        .order_by("round")
    }
    rounds = sorted(set(submitted) | set(decided) | set(waiting)) or [1]
    rows = [
        [
            number,
            submitted.get(number, 0),
            (waiting.get(number) or {}).get("submitted", 0),
            (waiting.get(number) or {}).get("in_review", 0),
            (decided.get(number) or {}).get("accepted", 0),
            (decided.get(number) or {}).get("returned", 0),
            (decided.get(number) or {}).get("declined", 0),
        ]
        for number in rounds
    ]
    labels = [_("Runde %(number)s") % {"number": number} for number in rounds]
    return Section(
        slug="projects",
        title=_("Modellprojekte"),
        table=Table(
            slug="projects",
            caption=_("Die Projekte je Prüfrunde: im Zeitraum eingereicht und entschieden, heute wartend"),
            columns=[
                Column(_("Runde")),
                Column(_("Eingereicht")),
                Column(_("Warten heute auf Prüfung")),
                Column(_("Heute in Prüfung")),
                Column(pgettext("project decision", "Angenommen")),
                Column(_("Zur Überarbeitung zurückgegeben")),
                Column(pgettext("project decision", "Abgelehnt")),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="projects",
            title=_("Projekte je Prüfrunde"),
            description=_(
                "Im Zeitraum eingereichte, angenommene, zurückgegebene und abgelehnte Projekte, eine Gruppe "
                "je Prüfrunde. Die Tabelle neben dem Diagramm enthält dieselben Zahlen."
            ),
            categories=labels,
            series=[
                (_("Eingereicht"), [row[1] for row in rows]),
                (pgettext("project decision", "Angenommen"), [row[4] for row in rows]),
                (_("Zurückgegeben"), [row[5] for row in rows]),
                (pgettext("project decision", "Abgelehnt"), [row[6] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Einreichungen"), sum(row[1] for row in rows)),
            Fact(pgettext("project decision", "Angenommen"), sum(row[4] for row in rows)),
            Fact(_("Heute wartend oder in Prüfung"), sum(row[2] + row[3] for row in rows)),
        ],
    )


# --- Information pages and subscribers -------------------------------------------------


def information(*, space: Space, period: Period) -> Section:
    published = _monthly(
        access.coordination_scope(InformationPage.objects.all(), space=space),
        "published_at",
        since=period.start_at,
        until=period.end_at,
        n=Count("pk"),
    )
    active = Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    subscribers = Subscriber.objects.aggregate(
        active=Count("pk", filter=active),
        new=Count("pk", filter=Q(**period.range("confirmed_at"))),
        cancelled=Count("pk", filter=Q(**period.range("unsubscribed_at"))),
    )
    rows = [[month, _row(published, month, "n")] for month in period.months]
    return Section(
        slug="information",
        title=_("Informationen für Handwerksbetriebe"),
        table=Table(
            slug="information",
            caption=_("Veröffentlichte Informationen je Monat"),
            columns=[Column(_("Monat"), Kind.MONTH), Column(_("Veröffentlichte Informationen"))],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="information",
            title=_("Veröffentlichte Informationen je Monat"),
            description=_series_description(_("Veröffentlichte Informationen"), period),
            categories=[_month_label(month) for month in period.months],
            series=[(_("Veröffentlichte Informationen"), [row[1] for row in rows])],
        ),
        facts=[
            Fact(_("Veröffentlichte Informationen"), sum(row[1] for row in rows)),
            Fact(_("E-Mail-Abonnements heute (ganzes Portal)"), subscribers["active"]),
            Fact(_("Neue Abonnements im Zeitraum"), subscribers["new"]),
            Fact(_("Abbestellt im Zeitraum"), subscribers["cancelled"]),
        ],
    )


# --- Delivery health -------------------------------------------------------------------


def delivery(*, space: Space, period: Period) -> Section:
    mails = Delivery.objects.filter(event__space=space)
    status = Delivery.Status
    # By the month they were handed out: the settled days from the rollup, the recent ones from the rows.
    by_month = tallies.deliveries_by_month(space_id=space.pk, first=period.first, last=period.last)
    # Counted also after the outbox deleted them (KEEP_SENT): tallies.delete_counted.
    to_subscribers = tallies.mails_by_month(
        template=PAGE_MAIL,
        subjects=access.coordination_scope(InformationPage.objects.all(), space=space),
        first=period.first,
        last=period.last,
    )
    waiting = Q(channel=Channel.IMMEDIATE, status__in=[status.PENDING, status.SENDING])
    backlog = mails.filter(waiting | Q(status=status.PENDING)).aggregate(
        mails=Count("pk", filter=waiting),
        digest=Count("pk", filter=Q(status=status.PENDING) & ~Q(channel=Channel.IMMEDIATE)),
        oldest=Min("created_at", filter=waiting),
    )
    events = Event.objects.filter(space=space, state=Event.State.PENDING).count()
    names = ["total", "sent", "failed", "skipped"]
    rows = [
        [
            month,
            *(_row(by_month, month, name) for name in names),
            *(to_subscribers.get(month, {}).get(ending, 0) for ending in (status.SENT, status.FAILED)),
        ]
        for month in period.months
    ]
    oldest = (
        (timezone.now() - backlog["oldest"]) / datetime.timedelta(minutes=1) if backlog["oldest"] else None
    )
    return Section(
        slug="delivery",
        title=_("Zustellung der Benachrichtigungen"),
        table=Table(
            slug="delivery",
            caption=_(
                "Benachrichtigungen des Raums per E-Mail nach dem Monat, in dem sie verteilt wurden, "
                "und was aus ihnen wurde"
            ),
            columns=[
                Column(_("Monat"), Kind.MONTH),
                Column(_("E-Mails")),
                Column(_("Verschickt")),
                Column(_("Fehlgeschlagen")),
                Column(_("Übersprungen")),
                Column(_("E-Mails an Abonnements verschickt")),
                Column(_("E-Mails an Abonnements fehlgeschlagen")),
            ],
            rows=rows,
        ),
        chart=charts.bar_chart(
            key="delivery",
            title=_("Verschickte und fehlgeschlagene E-Mails je Monat"),
            description=_series_description(_("Verschickte und fehlgeschlagene Benachrichtigungen"), period),
            categories=[_month_label(month) for month in period.months],
            series=[
                (_("Verschickt"), [row[2] for row in rows]),
                (_("Fehlgeschlagen"), [row[3] for row in rows]),
            ],
        ),
        facts=[
            Fact(_("Ereignisse, die jetzt auf die Verteilung warten"), events),
            Fact(_("E-Mails, die jetzt auf den Versand warten"), backlog["mails"]),
            Fact(
                _("Minuten, die die älteste wartende E-Mail wartet"),
                oldest and round(oldest, 1),
                Kind.DECIMAL,
            ),
            Fact(_("E-Mails, die auf einen Überblick warten"), backlog["digest"]),
            Fact(_("Fehlgeschlagene E-Mails im Zeitraum"), sum(row[3] + row[6] for row in rows)),
        ],
    )


SECTIONS: dict[str, Callable[..., Section]] = {
    "members": members,
    "join-requests": join_requests,
    "meetings": meetings,
    "decisions": decisions_and_action_items,
    "questions": questions,
    "projects": projects,
    "information": information,
    "delivery": delivery,
}


def dashboard(*, space: Space, period: Period) -> list[Section]:
    """Every section of the dashboard, in the order of the page."""
    return [build(space=space, period=period) for build in SECTIONS.values()]


def table_for_export(*, space: Space, period: Period, slug: str) -> Table | None:
    """The whole table of one section (every meeting, not only the latest), or None for an unknown one."""
    build = SECTIONS.get(slug)
    if build is None:
        return None
    if build is meetings:
        return meetings(space=space, period=period, limit=None).table
    return build(space=space, period=period).table


def stored_report(*, space: Space, year: int, language: str) -> ActivityReport | None:
    """The activity report's stored PDF (reports.pdf renders it), or None when none was rendered yet."""
    report = ActivityReport.objects.filter(space=space, year=year, language=language).first()
    return report if report is not None and report.file else None
