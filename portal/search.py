"""The portal-wide search ("Suche"): everything the person may see, in one ranked list with facets.

Sources: threads and their posts, documents with their comments and the text
of their versions (groups.extraction), meetings with their agenda, the
minutes' discussions, decisions and action items, questions, information
pages and projects. Each source starts from the rule book (groups.access),
exactly as its own list does: what a person may not see is never read, so it
is never found, counted, shown in a snippet or hinted at in a facet. Draft
minutes (with their decisions and action items) are found by the home
space's coordinators only; information drafts by their ring; projects not
accepted by their submitter and the home space's coordinators.

On PostgreSQL each source matches its table's stored, weighted German vector
(portal.fulltext, GIN indexes) with what was typed in websearch syntax, every
word stemmed ("Ausbildungen" finds "Ausbildung"; "phrase", -word and OR work);
words inside compounds ("handwerk" in "Bäckerhandwerk", "Handwerk" in
"Handwerksbetrieb") are found in titles, in the bodies of posts and comments
and in the texts of projects through trigram indexes. Each source reads at most
CANDIDATES of its most recent hits with their rank, in one query, so a common
word costs no more than a rare one (several words, which the planner misjudges,
first among a table's newest RECENT_ROWS rows: _fenced_newest); the counts say
"mehr als" once a source is exhausted. Snippets are made with ts_headline over the rows of the shown
page only. Elsewhere (SQLite for `make run`) every word must occur in one of
the source's fields, case-insensitively, and the snippet is cut in Python.

One search costs a constant number of queries: one for the hits of every source (a UNION ALL;
one per source on SQLite), one for the spaces' names, and at most one per source for the rows
of the page.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups import access
from groups.models import (
    Document,
    DocumentComment,
    DocumentVersion,
    InformationPage,
    Post,
    Question,
    Space,
    Thread,
)
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from portal import fulltext, markdown, statements
from projects import catalogue
from projects.models import Project

MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
PAGE_SIZE = 20
# Per source, the most recent hits that are read, ranked and counted.
CANDIDATES = 200
SNIPPET_WORDS = 30
# ts_headline parses the whole text it is given; a long document is cut before it.
HEADLINE_SOURCE_CHARS = 50_000
# Private-use characters mark the hits inside ts_headline's output: everything else is escaped.
_START, _STOP = "\ue000", "\ue001"


class Kind:
    """The kinds of hits; the values are what the address says (?art=dokumente)."""

    DISCUSSION = "diskussionen"
    DOCUMENT = "dokumente"
    MEETING = "sitzungen"
    MINUTES = "protokolle"
    DECISION = "beschluesse"
    ACTION_ITEM = "aufgaben"
    QUESTION = "fragen"
    INFORMATION = "informationen"
    PROJECT = "projekte"

    LABELS = {
        DISCUSSION: _("Diskussionen"),
        DOCUMENT: _("Dokumente"),
        MEETING: pgettext_lazy("meetings", "Sitzungen"),
        MINUTES: _("Protokolle"),
        DECISION: _("Beschlüsse"),
        ACTION_ITEM: _("Aufgaben"),
        QUESTION: _("Fragen"),
        INFORMATION: _("Informationen"),
        PROJECT: _("Projekte"),
    }


@dataclass(frozen=True)
class Source:
    """One searched table: its rows as the person may see them, and how a row becomes a hit."""

    kind: str
    rows: Callable[[], QuerySet]
    fields: tuple[str, ...]
    target: str  # the field naming what the hit leads to (rows of several sources may lead to one)
    space: str  # the field naming the home space of what the hit leads to
    related: tuple[str, ...]
    describe: Callable[[Model], tuple[str, str, datetime | None, str]]  # title, address, date, note
    column: str = fulltext.VECTOR_COLUMN
    # Fields with trigram indexes on PostgreSQL: words are also found inside them (compounds).
    substring_fields: tuple[str, ...] = ()
    # Long texts with trigram indexes on the column itself, where words are found inside compounds in
    # lower case or capitalised ("handwerk" in "Bäckerhandwerk", "Handwerk" in "Handwerksbetrieb"):
    # UPPER() of every body the search walks through costs more than all the rest of the search.
    cased_substring_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    space: Space | None
    snippet: SafeString
    when: datetime | None
    note: str

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    capped: bool
    selected: bool


@dataclass
class SearchResult:
    query: str
    kind: str
    space: Space | None
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    number: int = 1
    page_size: int = PAGE_SIZE
    kinds: list[Facet] = field(default_factory=list)
    spaces: list[Facet] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class _Candidate:
    source: int
    pk: int
    target: int
    space_id: int
    rank: float


def cleaned(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def search(*, user, query: str, kind: str = "", space_slug: str = "", number: int = 1) -> SearchResult:
    """One page of what `user` may see that matches `query`, narrowed to a kind and a home space.

    A page number past the last page answers the last page's number as `number` with no hits;
    the view turns that into a 404, as every list does.
    """
    query = cleaned(query)
    kind = kind if kind in Kind.LABELS else ""
    result = SearchResult(query=query, kind=kind, space=None, number=number)
    if len(query) < MIN_QUERY_LENGTH:
        return result
    standing = _Standing.of(user)
    sources = _sources_of(standing)
    search_query = _query(query)
    candidates = []
    capped_kinds = set()
    found_per_source = _candidates_per_source(
        sources, standing=standing, query=query, search_query=search_query
    )
    for index, found in found_per_source.items():
        if len(found) > CANDIDATES:
            found = found[:CANDIDATES]
            capped_kinds.add(sources[index].kind)
        candidates.extend(found)
    hits = _best_per_target(candidates, sources)
    spaces = {space.pk: space for space in Space.objects.filter(pk__in={hit.space_id for hit in hits})}
    selected_space = next((space for space in spaces.values() if space.slug == space_slug), None)
    result.space = selected_space

    in_space = [hit for hit in hits if selected_space is None or hit.space_id == selected_space.pk]
    of_kind = [hit for hit in hits if not kind or sources[hit.source].kind == kind]
    shown = [hit for hit in in_space if not kind or sources[hit.source].kind == kind]
    result.kinds = _kind_facets(in_space, sources, selected=kind, capped=capped_kinds)
    result.spaces = _space_facets(of_kind, spaces, selected=selected_space, capped=bool(capped_kinds))
    result.total = len(shown)
    result.capped = bool(capped_kinds) and (not kind or kind in capped_kinds)
    offset = (number - 1) * PAGE_SIZE
    result.hits = _read_page(shown[offset : offset + PAGE_SIZE], sources, spaces, search_query, query)
    return result


# --- Sources -------------------------------------------------------------


@dataclass(frozen=True)
class _Standing:
    """What the rule book lets one person see of the searched tables: the only way the person enters
    the sources, so that two people with the same standing search with the same statement."""

    threads: QuerySet
    documents: QuerySet
    meetings: QuerySet
    questions: QuerySet
    information: QuerySet
    projects: QuerySet
    agenda_minutes: QuerySet
    decisions: QuerySet
    action_items: QuerySet
    coordinated: tuple[int, ...]

    @classmethod
    def of(cls, user) -> "_Standing":
        return cls(
            threads=access.visible_items(Thread.objects.all(), user),
            documents=access.visible_items(Document.objects.all(), user),
            meetings=access.visible_items(Meeting.objects.all(), user),
            questions=access.visible_items(Question.objects.all(), user),
            information=access.visible_items(InformationPage.objects.all(), user),
            projects=access.visible_items(Project.objects.all(), user),
            agenda_minutes=access.readable_minutes(AgendaItem.objects.all(), user, via="meeting"),
            decisions=access.readable_minutes(Decision.objects.all(), user, via="agenda_item__meeting"),
            action_items=access.readable_minutes(ActionItem.objects.all(), user, via="meeting"),
            coordinated=tuple(sorted(access.coordinated_space_ids(user))),
        )

    def key(self) -> tuple:
        """The compiled filters themselves: equal exactly when the rule book said the same."""
        visible = (self.threads, self.documents, self.meetings, self.questions, self.information)
        visible += (self.agenda_minutes, self.decisions, self.action_items)
        compiled = (queryset.values("pk").query.sql_with_params() for queryset in (*visible, self.projects))
        return (*compiled, self.coordinated)


def _sources(user) -> list[Source]:
    return _sources_of(_Standing.of(user))


def _sources_of(standing: _Standing) -> list[Source]:
    """Every searched table, each filtered by the rule book as its own list is."""
    threads, documents, meetings = standing.threads, standing.documents, standing.meetings
    draft = str(_("Entwurf"))

    def thread_of(row) -> tuple[str, str, datetime | None, str]:
        thread = row if isinstance(row, Thread) else row.thread
        return thread.title, thread.get_absolute_url(), thread.last_activity_at, ""

    def document_of(row) -> tuple[str, str, datetime | None, str]:
        document = row if isinstance(row, Document) else row.document
        return document.title, document.get_absolute_url(), document.updated_at, ""

    def meeting_of(meeting: Meeting, *, fragment: str = "", note: str = ""):
        return meeting.title, meeting.get_absolute_url() + fragment, meeting.starts_at, note

    def minutes_note(meeting: Meeting) -> str:
        minutes = getattr(meeting, "minutes", None)
        return "" if minutes is not None and minutes.status == Minutes.Status.PUBLISHED else draft

    return [
        Source(
            Kind.DISCUSSION,
            lambda: threads,
            ("title",),
            target="pk",
            space="space_id",
            related=("space",),
            describe=thread_of,
            substring_fields=("title",),
        ),
        Source(
            Kind.DISCUSSION,
            lambda: Post.objects.filter(thread__in=threads),
            ("body",),
            target="thread_id",
            space="thread__space_id",
            related=("thread__space",),
            describe=thread_of,
            cased_substring_fields=("body",),
        ),
        Source(
            Kind.DOCUMENT,
            lambda: documents,
            ("title", "description"),
            target="pk",
            space="space_id",
            related=("space",),
            describe=document_of,
            substring_fields=("title",),
        ),
        Source(
            Kind.DOCUMENT,
            lambda: DocumentComment.objects.filter(document__in=documents),
            ("body",),
            target="document_id",
            space="document__space_id",
            related=("document__space",),
            describe=document_of,
            cased_substring_fields=("body",),
        ),
        Source(
            Kind.DOCUMENT,
            lambda: DocumentVersion.objects.filter(document__in=documents),
            ("original_name", "note", "extracted_text"),
            target="document_id",
            space="document__space_id",
            related=("document__space",),
            describe=document_of,
        ),
        Source(
            Kind.MEETING,
            lambda: meetings,
            ("title", "description"),
            target="pk",
            space="space_id",
            related=(),
            describe=lambda meeting: meeting_of(meeting),
            substring_fields=("title",),
        ),
        Source(
            Kind.MEETING,
            lambda: AgendaItem.objects.filter(meeting__in=meetings),
            ("title", "details"),
            target="meeting_id",
            space="meeting__space_id",
            related=("meeting",),
            describe=lambda item: meeting_of(item.meeting),
            substring_fields=("title",),
        ),
        Source(
            Kind.MINUTES,
            lambda: standing.agenda_minutes.exclude(discussion=""),
            ("discussion",),
            target="meeting_id",
            space="meeting__space_id",
            related=("meeting__minutes",),
            describe=lambda item: meeting_of(item.meeting, note=minutes_note(item.meeting)),
            column="minutes_search_vector",
        ),
        Source(
            Kind.DECISION,
            lambda: standing.decisions,
            ("text",),
            target="pk",
            space="agenda_item__meeting__space_id",
            related=("agenda_item__meeting__minutes",),
            describe=lambda decision: meeting_of(
                decision.agenda_item.meeting, note=minutes_note(decision.agenda_item.meeting)
            ),
        ),
        Source(
            Kind.ACTION_ITEM,
            lambda: standing.action_items,
            ("title", "other_assignees"),
            target="pk",
            space="meeting__space_id",
            related=("meeting__minutes",),
            describe=lambda task: meeting_of(task.meeting, note=minutes_note(task.meeting)),
        ),
        Source(
            Kind.QUESTION,
            lambda: standing.questions,
            ("title", "body", "working_group"),
            target="pk",
            space="space_id",
            related=(),
            describe=lambda question: (
                question.title,
                question.get_absolute_url(),
                question.created_at,
                str(question.get_status_display()),
            ),
            substring_fields=("title",),
        ),
        Source(
            Kind.INFORMATION,
            lambda: standing.information,
            ("title", "summary", "body"),
            target="pk",
            space="space_id",
            related=(),
            describe=lambda page: (
                page.title,
                page.get_absolute_url(),
                page.published_at or page.updated_at,
                "" if page.published_at else draft,
            ),
            substring_fields=("title",),
        ),
        Source(
            Kind.PROJECT,
            lambda: standing.projects,
            catalogue.SEARCH_FIELDS,
            target="pk",
            space="space_id",
            related=(),
            describe=lambda project: (
                project.title,
                project.get_absolute_url(),
                project.accepted_at or project.submitted_at,
                "" if project.status == Project.Status.ACCEPTED else str(project.get_status_display()),
            ),
            substring_fields=catalogue.SEARCH_FIELDS,
        ),
    ]


# --- Matching ------------------------------------------------------------


def _uses_operators(terms: str) -> bool:
    return '"' in terms or any(word.startswith("-") or word.lower() == "or" for word in terms.split())


def _query(terms: str) -> SearchQuery | None:
    """The tsquery of what was typed (websearch syntax: "phrase", -word, OR), stemmed in German.

    Not prefix queries: PostgreSQL cannot estimate how many rows a prefix matches and then walks
    the whole table backwards for a rare word; words inside compounds are found through trigram
    indexes instead (Source.substring_fields).
    """
    if not fulltext.is_indexed():
        return None
    return fulltext.web_query(terms)


def _every_word_in(fields: tuple[str, ...], words: list[str], *, cased: tuple[str, ...] = ()) -> Q:
    """Every word in one of `fields` in any case, or in one of `cased` in lower case or capitalised."""
    every_word = Q()
    for word in words:
        anywhere = Q()
        for name in fields:
            anywhere |= Q(**{f"{name}__icontains": word.lower()})
        for name in cased:
            anywhere |= Q(**{f"{name}__contains": word.lower()}) | Q(
                **{f"{name}__contains": _capitalised(word)}
            )
        every_word &= anywhere
    return every_word


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _candidates_per_source(
    sources: list[Source], *, standing: _Standing, query: str, search_query
) -> dict[int, list[_Candidate]]:
    """Every source's CANDIDATES + 1 most recent hits with their rank.

    On PostgreSQL one statement (a UNION ALL of each source's bounded query), so a search costs one
    round trip for its hits however many sources there are; elsewhere one query per source.
    """
    if search_query is not None:
        with connection.cursor() as cursor:
            cursor.execute(*_candidate_statement(sources, standing=standing, query=query))
            rows = cursor.fetchall()
    else:
        rows = [
            row
            for index, source in enumerate(sources)
            for row in _candidate_rows(source, index, query=query, search_query=None)
        ]
    found: dict[int, list[_Candidate]] = {}
    for pk, target, space_id, rank, index in rows:
        found.setdefault(index, []).append(
            _Candidate(source=index, pk=pk, target=target, space_id=space_id, rank=rank)
        )
    for hits in found.values():
        hits.sort(key=lambda hit: -hit.pk)
    return found


# The search statement's SQL depends on the person's standing, on how many words are looked up inside
# compounds and on CANDIDATES; the words themselves are parameters. It is compiled once per process
# for each such shape, with these placeholders for the words, which are then put in.
_STATEMENTS = statements.CompiledStatements(kept=256)
_PLACEHOLDER = "suchwortplatzhalter{}"


def _shape(query: str) -> int | None:
    """How many words are looked up inside compounds, or None when the query is full-text only."""
    words = fulltext.substring_words(query)
    if _uses_operators(query) or len(words) != len(query.split()):
        return None
    return len(words)


def _candidate_statement(sources: list[Source], *, standing: _Standing, query: str) -> statements.Statement:
    """The UNION ALL of every source's candidates for `query`, as SQL and parameters."""
    shape = _shape(query)
    if shape is None:
        # As many words as the query has, up to two: the statement is fenced for several (_fenced).
        quoted = (f'"{_PLACEHOLDER.format(n)}"' for n in range(2 if _fenced(query) else 1))
        template, placeholders = " ".join(quoted), {}
    else:
        words = [_PLACEHOLDER.format(n) for n in range(shape)]
        template = " ".join(words)
        placeholders = {}
        for placeholder, word in zip(words, fulltext.substring_words(query), strict=True):
            # icontains puts UPPER() around the lower-case word too, so one parameter serves both.
            for spelt in (str.lower, _capitalised):
                placeholders[f"%{spelt(placeholder)}%"] = (
                    f"%{connection.ops.prep_for_like_query(spelt(word))}%"
                )

    def compiled() -> statements.Statement:
        search_query = _query(template)
        parts = [
            _candidate_rows(source, index, query=template, search_query=search_query)
            for index, source in enumerate(sources)
        ]
        sql, params = parts[0].union(*parts[1:], all=True).order_by().query.sql_with_params()
        return sql, tuple(params)

    sql, params = _STATEMENTS.get((standing.key(), shape, _fenced(query), CANDIDATES, RECENT_ROWS), compiled)
    filled = tuple(
        query if param == template else placeholders.get(param, param) if isinstance(param, str) else param
        for param in params
    )
    return sql, filled


def _candidate_rows(source: Source, index: int, *, query: str, search_query) -> QuerySet:
    """The source's CANDIDATES + 1 most recent hits as (pk, target, space, rank, source index).

    The rank is computed for those rows only (an outer query over the capped ids): ranked in the
    same pass as the match, a common word would rank tens of thousands of rows to keep 201.
    """
    rows = source.rows()
    if search_query is None:
        found = rows.filter(_every_word_in(source.fields, query.split())).annotate(rank=Value(1.0))
    else:
        match = Q(search_vector_match=search_query)
        words = fulltext.substring_words(query)
        inside = source.substring_fields or source.cased_substring_fields
        if inside and not _uses_operators(query) and len(words) == len(query.split()):
            match |= _every_word_in(source.substring_fields, words, cased=source.cased_substring_fields)
        vector = fulltext.stored_vector(source.column)
        if _fenced(query):
            newest = _fenced_newest(rows, match, vector)
        else:
            newest = _newest(rows.alias(search_vector_match=vector).filter(match))
        found = rows.model._base_manager.filter(_among(newest)).annotate(
            rank=SearchRank(fulltext.stored_vector(source.column), search_query)
        )
    found = found.annotate(source_index=Value(index))
    return found.order_by("-pk").values_list("pk", source.target, source.space, "rank", "source_index")[
        : CANDIDATES + 1
    ]


def _fenced(query: str) -> bool:
    """Whether the newest hits are found by _fenced_newest: for several words."""
    return len(query.split()) > 1


# Several words are first looked for among this many of the newest rows of a table (_fenced_newest).
RECENT_ROWS = 20_000


def _newest(rows: QuerySet) -> QuerySet:
    return rows.order_by("-pk").values("pk")[: CANDIDATES + 1]


def _fenced_newest(rows: QuerySet, match: Q, vector) -> RawSQL:
    """The ids of the CANDIDATES + 1 newest of `rows` matching `match`, for several words.

    The planner takes words for independent: two common words that never meet in one row (agenda
    items name "Handwerkskammer" in one sentence and "Betriebe" in another) look common together to
    it, so it would walk the table newest first to fill CANDIDATES and read every row to find none.
    So the walk goes through the newest RECENT_ROWS rows only; only if they hold no more than
    CANDIDATES hits are the older rows matching read too, through the table's own indexes (the
    match alone, with `pk + 0` so that no plan walks the primary key), and the newest of them
    that `rows` holds taken. Either way the hits are rows of `rows` (the rule book's) only.
    """
    base = rows.model._base_manager
    since_sql, since_params = base.order_by("-pk").values("pk")[:1].query.sql_with_params()
    recent = rows.alias(search_vector_match=vector).filter(match, pk__gte=RawSQL('"bound"."since"', ()))
    recent_sql, recent_params = _newest(recent).query.sql_with_params()
    older = base.alias(search_vector_match=vector, shifted=F("pk") + 0).filter(
        match, shifted__lt=RawSQL('"fenced"."since"', ())
    )
    older_sql, older_params = older.order_by().values("pk").query.sql_with_params()
    few = RawSQL('cardinality("fenced"."recent") <= %s', (CANDIDATES,), output_field=BooleanField())
    # Every piece is SQL that Django compiled, with the words as parameters.
    older_ids = RawSQL(f"ARRAY({older_sql})", older_params)  # noqa: S611
    among_older = rows.filter(few, _AnyOf(F("pk"), older_ids))
    among_sql, among_params = _newest(among_older).query.sql_with_params()
    return RawSQL(  # noqa: S611
        f'SELECT "newest"."pk" FROM (SELECT "bound"."since", ARRAY({recent_sql}) AS "recent" '  # noqa: S608
        f'FROM (SELECT COALESCE(({since_sql}), 0) - %s AS "since" OFFSET 0) "bound" OFFSET 0) "fenced", '
        f'LATERAL ((SELECT UNNEST("fenced"."recent") AS "pk") UNION ALL ({among_sql})) "newest"',
        (*recent_params, *since_params, RECENT_ROWS, *among_params),
    )


class _AmongIds(Func):
    """`pk = ANY(ARRAY(subquery))`: the planner reads the subquery's few ids through the primary key
    index. Written as `pk IN (subquery)`, it hash-joins them against a scan of the whole table."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"
    output_field = BooleanField()


class _AnyOf(Func):
    """`pk = ANY(array)`."""

    template = "%(expressions)s"
    arg_joiner = " = ANY"
    output_field = BooleanField()


def _among(ids: QuerySet | RawSQL) -> _AmongIds:
    return _AmongIds(F("pk"), ids if isinstance(ids, RawSQL) else Subquery(ids))


def _best_per_target(candidates: list[_Candidate], sources: list[Source]) -> list[_Candidate]:
    """One hit per thing found (a thread found by its title and three posts is one hit), its best
    row kept for the snippet; the best first, the newest first among equals."""
    best: dict[tuple[str, int], _Candidate] = {}
    for candidate in candidates:
        key = (sources[candidate.source].kind, candidate.target)
        kept = best.get(key)
        if kept is None or candidate.rank > kept.rank:
            best[key] = candidate
    return sorted(best.values(), key=lambda hit: (-hit.rank, -hit.target))


def _kind_facets(hits, sources, *, selected: str, capped: set[str]) -> list[Facet]:
    counts: dict[str, int] = {}
    for hit in hits:
        kind = sources[hit.source].kind
        counts[kind] = counts.get(kind, 0) + 1
    return [
        Facet(value, str(label), counts[value], value in capped, value == selected)
        for value, label in Kind.LABELS.items()
        if value in counts
    ]


def _space_facets(hits, spaces: dict[int, Space], *, selected: Space | None, capped: bool) -> list[Facet]:
    counts: dict[int, int] = {}
    for hit in hits:
        counts[hit.space_id] = counts.get(hit.space_id, 0) + 1
    ordered = sorted(counts, key=lambda pk: (-counts[pk], spaces[pk].name))
    return [
        Facet(
            spaces[pk].slug, spaces[pk].name, counts[pk], capped, selected is not None and pk == selected.pk
        )
        for pk in ordered
    ]


# --- The page's rows -----------------------------------------------------


def _read_page(page, sources, spaces, search_query, query: str) -> list[Hit]:
    """The rows of the shown hits, one query per source among them, with their snippets."""
    by_source: dict[int, list[int]] = {}
    for hit in page:
        by_source.setdefault(hit.source, []).append(hit.pk)
    rows: dict[tuple[int, int], Model] = {}
    for index, pks in by_source.items():
        source = sources[index]
        queryset = source.rows().filter(pk__in=pks).order_by()
        if source.related:
            queryset = queryset.select_related(*source.related)
        if search_query is not None:
            queryset = queryset.annotate(snippet=_headline(source, search_query))
        for row in queryset:
            rows[(index, row.pk)] = row
    hits = []
    for candidate in page:
        row = rows.get((candidate.source, candidate.pk))
        if row is None:  # gone between the two reads
            continue
        source = sources[candidate.source]
        title, url, when, note = source.describe(row)
        if search_query is not None:
            snippet = _marked(row.snippet)
        else:
            text = " ".join(str(getattr(row, name) or "") for name in source.fields)
            snippet = _cut(markdown.markdown_as_plain_text(text), query)
        hits.append(
            Hit(
                kind=source.kind,
                title=title,
                url=url,
                space=spaces.get(candidate.space_id),
                snippet=snippet,
                when=when,
                note=note,
            )
        )
    return hits


def _headline(source: Source, search_query) -> SearchHeadline:
    parts = []
    for name in source.fields:
        if parts:
            parts.append(Value(" · "))
        parts.append(name)
    text = Concat(*parts, output_field=TextField()) if len(parts) > 1 else source.fields[0]
    text = Left(text, HEADLINE_SOURCE_CHARS)
    for marker in (_START, _STOP):
        text = Replace(text, Value(marker), Value(""), output_field=TextField())
    return SearchHeadline(
        text,
        search_query,
        config=fulltext.CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def _marked(headline: str) -> SafeString:
    """ts_headline's text escaped, its markers turned into <mark> (the only markup let through)."""
    text = escape(markdown.markdown_as_plain_text(headline))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


def _cut(text: str, query: str, *, width: int = 220) -> SafeString:
    """The simple snippet (SQLite): the text around the first word found, every word marked."""
    words = [re.escape(word) for word in query.split() if word]
    if not words:
        return mark_safe("")
    pattern = re.compile("|".join(words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    window = text[start : start + width]
    pieces, position = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped
