"""The public showcase of accepted model projects: its filters, search and sorting, the start page's
selection, and the coordinators' export rows.

Everything starts from groups.access.visible_items. The catalogue and its
feeds show accepted projects only, even to coordinators who may see drafts;
the export is the coordinators' working list and holds every project they may
see, in every state.

Search: on PostgreSQL full-text search with the German configuration
(stemming: "Ausbildungen" finds "Ausbildung") over the stored, weighted vector
of title, summary and description (portal.fulltext), ranked, plus the projects
in which every word occurs as a substring (German compounds), through the
stored upper-cased text of the three fields and its trigram index. A search
ranks and counts at most the SEARCH_CAP most recently accepted hits ("mehr als
500 Treffer"), so a common word costs no more than a rare one. Elsewhere
(SQLite for `make run`) only the substring search, case-insensitively, bounded
the same way.
"""

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import access, spaces
from groups.models import Topic, Trade
from portal import fulltext, readcache
from projects.models import FundingProgramme, Project, ProjectImage, Review, Submission

SHOWCASE_LENGTH = 3
MAX_QUERY_LENGTH = 200
SEARCH_FIELDS = ("title", "summary", "description")
# A search ranks and counts at most this many hits (the most recently accepted); more are "more than".
SEARCH_CAP = 500
# The list without a search counts this far ("mehr als 10.000 Projekte").
LIST_CAP = 10_000
NEWEST = (F("accepted_at").desc(nulls_last=True), F("submitted_at").desc(nulls_last=True), F("pk").desc())


class Sort(TextChoices):
    """The orders of the list; the values are what the address says (?sortierung=titel)."""

    NEWEST = "neueste", _("Zuletzt aufgenommen zuerst")
    TITLE = "titel", _("Titel von A bis Z")
    START = "beginn", _("Projektbeginn, neueste zuerst")
    RELEVANCE = "relevanz", _("Beste Treffer zuerst")


@dataclass(frozen=True)
class CatalogueFilter:
    """What the visitor narrowed the catalogue to; empty fields do not narrow.

    `sort` None means the natural order: the best hits first when searching,
    otherwise the most recently accepted.
    """

    trade: Trade | None = None
    topic: Topic | None = None
    region: str = ""
    funding_programme: FundingProgramme | None = None
    organisation_kind: str = ""
    query: str = ""
    sort: Sort | None = None

    @property
    def search_terms(self) -> str:
        return " ".join(self.query.split())[:MAX_QUERY_LENGTH]

    @property
    def effective_sort(self) -> Sort:
        if self.sort == Sort.RELEVANCE or self.sort is None:
            return Sort.RELEVANCE if self.search_terms else Sort.NEWEST
        return Sort(self.sort)

    @property
    def is_narrowed(self) -> bool:
        return any(
            (
                self.trade,
                self.topic,
                self.region,
                self.funding_programme,
                self.organisation_kind,
                self.search_terms,
            )
        )


def catalogue(user, filters: CatalogueFilter | None = None) -> QuerySet[Project] | fulltext.RankedHits:
    """The accepted projects `user` may see, narrowed and sorted, ready for the list's cards.

    A search answers its hits (at most SEARCH_CAP + 1, read now) as a sequence that reads the cards
    of one slice at a time; otherwise a lazy queryset.
    """
    filters = filters or CatalogueFilter()
    # Through the standing alone: the results are shared by everyone of it (projects/views/catalogue.py),
    # so an accepted project its submitter sees only by their own right stays on its own page.
    projects = access.visible_through_standing(Project.objects.all(), user).filter(
        status=Project.Status.ACCEPTED
    )
    projects = _narrowed(projects, filters, search=False)
    if filters.search_terms:
        return fulltext.RankedHits(_for_cards(projects), _hit_ids(projects, filters))
    return _for_cards(_sorted(projects, filters))


def public_catalogue(filters: CatalogueFilter | None = None) -> QuerySet[Project]:
    """The catalogue as the public sees it, whoever asks (feeds are cached and shared)."""
    return catalogue(AnonymousUser(), filters)


def feed_items(filters: CatalogueFilter | None = None, *, limit: int) -> list[Project] | QuerySet[Project]:
    """Newest accepted first, whatever order the list was sorted by."""
    return public_catalogue(replace(filters or CatalogueFilter(), sort=Sort.NEWEST))[:limit]


SHOWCASE_CACHE_KEY = "projects:showcase:v1"
SHOWCASE_CACHE_SECONDS = 300


def showcased_projects(*, limit: int = SHOWCASE_LENGTH) -> list[Project]:
    """The start page's newest public model projects. They are the same for everyone, so they are
    kept in the shared cache (the start page is the busiest page) and forgotten whenever a project
    or one of its pictures changes."""
    if limit > SHOWCASE_LENGTH:
        return list(public_catalogue()[:limit])
    # Through readcache: with Redis down the start page reads directly (it answered 500 in make rehearsal).
    cached = readcache.cached(SHOWCASE_CACHE_KEY)
    if cached is None:
        cached = list(public_catalogue()[:SHOWCASE_LENGTH])
        readcache.keep(SHOWCASE_CACHE_KEY, cached, seconds=SHOWCASE_CACHE_SECONDS)
    return cached[:limit]


def forget_showcase(**_signal_arguments) -> None:
    """Drops the cached start-page cards now and again after the commit (a request in between
    may have cached what it read before the change)."""
    readcache.forget([SHOWCASE_CACHE_KEY])
    transaction.on_commit(lambda: readcache.forget([SHOWCASE_CACHE_KEY]))


def _narrowed(
    projects: QuerySet[Project], filters: CatalogueFilter, *, search: bool = True
) -> QuerySet[Project]:
    if filters.trade is not None:
        projects = projects.filter(trades=filters.trade)
    if filters.topic is not None:
        projects = projects.filter(topics=filters.topic)
    if filters.region:
        projects = projects.filter(region=filters.region)
    if filters.funding_programme is not None:
        projects = projects.filter(funding_programme=filters.funding_programme)
    if filters.organisation_kind:
        projects = projects.filter(organisation__kind=filters.organisation_kind)
    if search and filters.search_terms:
        # Every hit, lazily and ranked: for the export, which lists them all.
        projects = matching(projects, filters.search_terms)
        if fulltext.is_indexed():
            projects = fulltext.ranked(projects, query=fulltext.web_query(filters.search_terms))
    return projects


def _hit_ids(projects: QuerySet[Project], filters: CatalogueFilter) -> list[int]:
    """The ids of the SEARCH_CAP + 1 most recently accepted hits, in the list's order.

    One pass over the newest hits reads them with their rank (on PostgreSQL);
    ranking, counting and paging then cost the same for a common word as for a
    rare one, and the list reads only one page of rows by id.
    """
    matches = matching(projects, filters.search_terms)
    sort = filters.effective_sort
    if sort == Sort.RELEVANCE and fulltext.is_indexed():
        ranked = fulltext.ranked(matches, query=fulltext.web_query(filters.search_terms))
        hits = list(ranked.order_by(*NEWEST).values_list("pk", "rank")[: SEARCH_CAP + 1])
        # A stable sort: among equal ranks the newest stay first.
        return [pk for pk, _rank in sorted(hits, key=lambda hit: -hit[1])]
    ids = list(matches.order_by(*NEWEST).values_list("pk", flat=True)[: SEARCH_CAP + 1])
    if sort in (Sort.NEWEST, Sort.RELEVANCE):
        return ids
    return list(_sorted(Project.objects.filter(pk__in=ids), filters).values_list("pk", flat=True))


def matching(projects: QuerySet[Project], terms: str) -> QuerySet[Project]:
    """The projects that match `terms`: through the stored vector and the trigram indexes on PostgreSQL,
    by substrings elsewhere."""
    if not fulltext.is_indexed():
        return projects.filter(_every_word_inside(terms.split()))
    match = Q(search_vector=fulltext.web_query(terms))
    words = fulltext.substring_words(terms)
    if not _uses_search_operators(terms) and len(words) == len(terms.split()):
        # The dictionary does not split compounds: "Handwerk" finds "Bäckerhandwerk" only as a
        # substring, through the stored upper-cased text of the three fields (projects/migrations/
        # 0005) and its trigram index: one LIKE per word, not UPPER() over three long columns for
        # every row the vector misses. Such hits rank behind the full-text ones.
        match |= _every_word_in_stored_text(words)
    return projects.alias(search_vector=fulltext.stored_vector()).filter(match)


def _every_word_in_stored_text(words: list[str]) -> Q:
    """What `_every_word_inside` finds, on PostgreSQL: a word never spans two fields in the stored
    text (fulltext.TEXT_SEPARATOR)."""
    every_word = Q()
    for word in words:
        every_word &= Q(fulltext.upper_contains(word))
    return every_word


def _every_word_inside(words: list[str]) -> Q:
    every_word = Q()
    for word in words:
        word_anywhere = Q()
        for field in SEARCH_FIELDS:
            word_anywhere |= Q(**{f"{field}__icontains": word})
        every_word &= word_anywhere
    return every_word


def _uses_search_operators(terms: str) -> bool:
    """Phrases, exclusions and OR (websearch syntax) mean what they say: no substring hits then."""
    return '"' in terms or any(word.startswith("-") or word.lower() == "or" for word in terms.split())


def _sorted(projects: QuerySet[Project], filters: CatalogueFilter) -> QuerySet[Project]:
    """Each order but relevance has a partial index of accepted projects in that order on PostgreSQL
    (projects/migrations/0002)."""
    match filters.effective_sort:
        case Sort.TITLE:
            return projects.order_by(Lower("title"), "pk")
        case Sort.START:
            return projects.order_by(F("starts_on").desc(nulls_last=True), *NEWEST)
        case Sort.RELEVANCE if fulltext.is_indexed():
            return projects.order_by("-rank", *NEWEST)
        case _:
            return projects.order_by(*NEWEST)


def _for_cards(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related("organisation", "funding_programme").prefetch_related(
        "trades",
        "topics",
        Prefetch("images", queryset=ProjectImage.objects.order_by("position", "pk"), to_attr="pictures"),
    )


# --- Export for the coordinators ----------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str


EXPORT_COLUMNS = (
    Column("title", _("Titel")),
    Column("status", _("Status")),
    Column("organisation", _("Organisation")),
    Column("organisation_kind", _("Art der Organisation")),
    Column("region", _("Region")),
    Column("funding_programme", _("Förderprogramm")),
    Column("starts_on", _("Beginn")),
    Column("ends_on", _("Ende")),
    Column("trades", _("Gewerke")),
    Column("topics", _("Themen")),
    Column("contact_name", _("Ansprechperson")),
    Column("contact_email", _("E-Mail der Ansprechperson")),
    Column("links", _("Links")),
    Column("url", _("Adresse im Portal")),
    Column("submitted_at", _("Eingereicht am")),
    Column("accepted_at", _("Angenommen am")),
    Column("review_count", _("Bewertungen (aktuelle Runde)")),
    Column("transferability_average", _("Übertragbarkeit, Durchschnitt")),
    Column("added_value_average", _("Mehrwert für das Handwerk, Durchschnitt")),
)


def can_export(user) -> bool:
    """The export is the Fachgruppe coordinators' working list (staff included)."""
    return spaces.fachgruppe_id() in access.coordinated_space_ids(user)


def export_projects(user, filters: CatalogueFilter | None = None) -> QuerySet[Project]:
    """Every project `user` may see, in every state, narrowed like the list, with the current round's
    review figures (the round is the number of submissions, at least 1, as Project.round says)."""
    filters = filters or CatalogueFilter()
    projects = access.visible_items(Project.objects.all(), user)
    current_round = Coalesce(
        Subquery(
            Submission.objects.filter(project=OuterRef("pk"))
            .values("project")
            .annotate(last=Count("pk"))
            .values("last")
        ),
        1,
        output_field=IntegerField(),
    )
    reviews = Review.objects.filter(project=OuterRef("pk"), round=OuterRef("current_round")).values("project")
    projects = projects.annotate(current_round=current_round).annotate(
        review_count=Coalesce(
            Subquery(reviews.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField()
        ),
        transferability_average=Subquery(reviews.annotate(a=Avg("transferability")).values("a")),
        added_value_average=Subquery(reviews.annotate(a=Avg("added_value")).values("a")),
    )
    return (
        _sorted(_narrowed(projects, filters), filters)
        .select_related("organisation", "funding_programme")
        .prefetch_related("trades", "topics")
    )


def export_rows(user, filters: CatalogueFilter | None = None) -> list[dict]:
    """One dict per project: the keys of EXPORT_COLUMNS with labels where a person reads them, and
    the codes behind the labels (`*_code`, `slug`) for programs that read the JSON.

    Dates are date/datetime objects (local time) and averages floats or None:
    each format writes them its own way.
    """
    return [_row(project) for project in export_projects(user, filters)]


def _row(project: Project) -> dict:
    organisation = project.organisation
    return {
        "slug": project.slug,
        "title": project.title,
        "status": project.get_status_display(),
        "organisation": organisation.name if organisation else "",
        "organisation_kind": organisation.get_kind_display() if organisation else "",
        "region": project.get_region_display() if project.region else "",
        "funding_programme": project.funding_programme.name if project.funding_programme else "",
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "trades": [trade.name for trade in project.trades.all()],
        "topics": [topic.name for topic in project.topics.all()],
        "contact_name": project.contact_name,
        "contact_email": project.contact_email,
        "links": list(project.links or []),
        "url": settings.SITE_URL + project.get_absolute_url(),
        "submitted_at": _local(project.submitted_at),
        "accepted_at": _local(project.accepted_at),
        "review_count": project.review_count,
        "transferability_average": _average(project.transferability_average),
        "added_value_average": _average(project.added_value_average),
        "status_code": project.status,
        "organisation_kind_code": organisation.kind if organisation else "",
        "region_code": project.region,
    }


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _average(value) -> float | None:
    return round(float(value), 2) if value is not None else None


def export_filename(extension: str, *, today: date | None = None) -> str:
    return f"modellprojekte-{(today or timezone.localdate()).isoformat()}.{extension}"


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_csv(rows: list[dict]) -> str:
    """CSV for German Excel: BOM, `;` between cells, decimal commas, a header row of labels."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(column.label) for column in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(row[column.key], column.key) for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def _csv_cell(value, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        # Addresses may contain commas; one per line within the cell.
        value = ("\n" if key == "links" else ", ").join(value)
    elif isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        return value.isoformat()
    elif isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    elif not isinstance(value, str):
        return str(value)
    # A leading apostrophe makes the spreadsheet show the text instead of running it.
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_json(rows: list[dict]) -> str:
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
