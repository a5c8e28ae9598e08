"""Search over meetings, agendas, minutes, decisions and action items, filtered by the ring rules.

On PostgreSQL: full-text search with the German configuration (stemming:
"Ausbildungen" finds "Ausbildung") over each table's stored, weighted vector
with its GIN index (portal.fulltext; meetings/migrations/0003), ranked; each
kind ranks at most its CANDIDATES most recent hits, so a common word costs no
more than a rare one. Elsewhere (SQLite for `make run`): every word must
occur, case-insensitively. What belongs to
minutes (discussions, decisions, action items) is found only once the minutes
are published, or by coordinators of the meeting's space.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from groups import access
from meetings.models import ActionItem, AgendaItem, Decision, Meeting
from portal import fulltext

MAX_HITS = 50
# Per kind, the most recent hits (by id) that are ranked; the best MAX_HITS of them are shown.
CANDIDATES = 500


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    text: str
    meeting: Meeting
    rank: float

    @property
    def when(self) -> datetime | None:
        return self.meeting.starts_at


def search(*, user, query: str) -> list[Hit]:
    query = " ".join(query.split())[:200]
    if len(query) < 2:
        return []
    meetings = access.visible_items(Meeting.objects.all(), user)
    sources = [
        (
            _("Sitzung"),
            meetings,
            ["title", "description"],
            fulltext.VECTOR_COLUMN,
            lambda m: (m.title, m.description),
            lambda m: m,
        ),
        (
            _("Tagesordnung"),
            AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting"),
            ["title", "details"],
            fulltext.VECTOR_COLUMN,
            lambda a: (a.title, a.details),
            lambda a: a.meeting,
        ),
        (
            _("Protokoll"),
            access.readable_minutes(AgendaItem.objects.all(), user, via="meeting")
            .exclude(discussion="")
            .select_related("meeting"),
            ["discussion"],
            "minutes_search_vector",
            lambda a: (a.title, a.discussion),
            lambda a: a.meeting,
        ),
        (
            _("Beschluss"),
            access.readable_minutes(Decision.objects.all(), user, via="agenda_item__meeting").select_related(
                "agenda_item__meeting"
            ),
            ["text"],
            fulltext.VECTOR_COLUMN,
            lambda d: (d.agenda_item.title, d.text),
            lambda d: d.agenda_item.meeting,
        ),
        (
            _("Aufgabe"),
            access.readable_minutes(ActionItem.objects.all(), user, via="meeting").select_related("meeting"),
            ["title", "other_assignees"],
            fulltext.VECTOR_COLUMN,
            lambda t: (t.title, t.other_assignees),
            lambda t: t.meeting,
        ),
    ]
    hits = []
    for kind, queryset, fields, column, describe, meeting_of in sources:
        for row, rank in _matches(queryset, fields, column, query):
            title, text = describe(row)
            hits.append(Hit(kind=str(kind), title=title, text=text, meeting=meeting_of(row), rank=rank))
    hits.sort(key=lambda hit: (-hit.rank, -(hit.when.timestamp() if hit.when else 0)))
    return hits[:MAX_HITS]


def _matches(queryset: QuerySet, fields: list[str], column: str, query: str) -> list[tuple[object, float]]:
    if fulltext.is_indexed():
        search_query = fulltext.web_query(query)
        hits = queryset.alias(vector=fulltext.stored_vector(column)).filter(vector=search_query)
        candidates = queryset.filter(pk__in=fulltext.capped(hits, cap=CANDIDATES))
        ranked = fulltext.ranked(candidates, query=search_query, column=column).order_by("-rank")[:MAX_HITS]
        return [(row, row.rank) for row in ranked]
    condition = Q()
    for word in query.split():
        condition &= _any_field(fields, word)
    return [(row, 1.0) for row in queryset.filter(condition)[:MAX_HITS]]


def _any_field(fields: list[str], word: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition
