"""Search through indexes the database keeps: the stored vectors, their GIN indexes, the trigram indexes
for compounds and the catalogue's sort indexes exist on PostgreSQL, rows that never went through
save() are found, and the plans can use the indexes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from groups.models import DocumentComment, Post
from meetings import search as meeting_search
from meetings.models import AgendaItem, Meeting, Minutes
from portal import search as portal_search
from projects import catalogue
from projects.catalogue import CatalogueFilter, Sort
from projects.models import Project
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes exist on PostgreSQL only"),
]

SEARCHED_TABLES = [
    ("projects_project", "search_vector"),
    ("meetings_meeting", "search_vector"),
    ("meetings_agendaitem", "search_vector"),
    ("meetings_agendaitem", "minutes_search_vector"),
    ("meetings_decision", "search_vector"),
    ("meetings_actionitem", "search_vector"),
    ("groups_thread", "search_vector"),
    ("groups_post", "search_vector"),
    ("groups_document", "search_vector"),
    ("groups_documentcomment", "search_vector"),
    ("groups_documentversion", "search_vector"),
    ("groups_question", "search_vector"),
    ("groups_informationpage", "search_vector"),
]


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.parametrize(("table", "column"), SEARCHED_TABLES)
def test_every_searched_table_has_a_generated_vector_with_a_gin_index(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        assert cursor.fetchone() == ("tsvector", "ALWAYS")
    definitions = _indexes(table).values()
    assert any(f"USING gin ({column})" in definition for definition in definitions), definitions


def test_the_catalogue_has_trigram_indexes_on_what_icontains_compiles_to():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    definitions = _indexes("projects_project")
    for column, expression in [
        ("title", "upper((title)::text)"),  # a varchar column is cast, as Django's icontains does
        ("summary", "upper(summary)"),
        ("description", "upper(description)"),
    ]:
        assert f"USING gin ({expression} gin_trgm_ops)" in definitions[f"projects_project_{column}_trgm"]


def test_the_catalogue_keeps_its_fields_upper_cased_in_one_generated_column_with_a_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'projects_project' AND column_name = 'search_text'"
        )
        assert cursor.fetchone() == ("text", "ALWAYS")
        # Out of line and uncompressed: the rows keep their search vector inline (see portal/fulltext.py).
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'projects_project'::regclass AND attname = 'search_text'"
        )
        assert cursor.fetchone() == ("e",)
    definition = _indexes("projects_project")["projects_project_search_text_trgm"]
    assert "USING gin (search_text gin_trgm_ops)" in definition


def test_the_catalogue_has_a_partial_index_for_each_order():
    definitions = _indexes("projects_project")
    for name, order in [
        ("projects_catalogue_newest", "(accepted_at DESC NULLS LAST, submitted_at DESC NULLS LAST, id DESC)"),
        ("projects_catalogue_title", "(lower((title)::text), id)"),
        ("projects_catalogue_start", "(starts_on DESC NULLS LAST, accepted_at DESC NULLS LAST"),
    ]:
        assert order in definitions[name], definitions[name]
        assert definitions[name].endswith("WHERE ((status)::text = 'accepted'::text)")


def _bulk_projects(*titles: str, fachgruppe) -> None:
    submitter = UserFactory()
    now = timezone.now()
    Project.objects.bulk_create(
        Project(
            space=fachgruppe,
            audience=None,
            slug=f"massenweise-{number}",
            status=Project.Status.ACCEPTED,
            title=title,
            summary="Betriebe bilden gemeinsam aus.",
            submitted_by=submitter,
            accepted_at=now - timezone.timedelta(days=number),
        )
        for number, title in enumerate(titles)
    )


def _titles(filters: CatalogueFilter) -> list[str]:
    return [project.title for project in catalogue.catalogue(AnonymousUser(), filters)]


def test_bulk_inserted_projects_are_found_with_stemming_and_inside_compounds(fachgruppe):
    _bulk_projects(
        "Ausbildungen im Zimmererhandwerk", "Energieberatung im Bäckerhandwerk", fachgruppe=fachgruppe
    )

    assert _titles(CatalogueFilter(query="Ausbildung")) == ["Ausbildungen im Zimmererhandwerk"]
    assert _titles(CatalogueFilter(query="handwerk")) == [
        "Ausbildungen im Zimmererhandwerk",
        "Energieberatung im Bäckerhandwerk",
    ]


def test_a_raw_update_changes_what_is_found(fachgruppe):
    """An admin edit or a data migration need not call save(): the database recomputes the vector."""
    _bulk_projects("Alter Titel", fachgruppe=fachgruppe)

    Project.objects.filter(slug="massenweise-0").update(title="Dachbegrünung im Verbund")

    assert _titles(CatalogueFilter(query="Dachbegrünung")) == ["Dachbegrünung im Verbund"]
    assert _titles(CatalogueFilter(query="Titel")) == []


def test_bulk_inserted_meetings_and_agenda_items_are_found(fachgruppe):
    meeting = Meeting.objects.bulk_create(
        [Meeting(space=fachgruppe, audience=None, title="Werkstattgespräch", starts_at=timezone.now())]
    )[0]
    Minutes.objects.bulk_create([Minutes(meeting=meeting, status=Minutes.Status.PUBLISHED)])
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=1, title="Kalkulation", discussion="Die Preise der Zulieferer."
            )
        ]
    )

    hits = meeting_search.search(user=AnonymousUser(), query="Preis")

    assert [(hit.kind, hit.title) for hit in hits] == [("Protokoll", "Kalkulation")]
    assert [hit.title for hit in meeting_search.search(user=AnonymousUser(), query="Werkstattgespräch")] == [
        "Werkstattgespräch"
    ]


def _plan(queryset, *, ordered: bool = False) -> str:
    """The plan when the table is too small to make an index worth it: can the index serve the query?"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if ordered:
            # Can an index hand the rows over in the list's order (no sort of all accepted projects)?
            cursor.execute("SET LOCAL enable_sort = off")
        else:
            # Walking an order's index and filtering is a plan too; without it, can the search index serve?
            cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("Ausbildung", "projects_project_search_vector_gin"),
        ("handwerk", "projects_project_search_text_trgm"),
    ],
)
def test_a_search_can_use_the_indexes(query, index, fachgruppe):
    _bulk_projects("Ausbildung im Handwerk", fachgruppe=fachgruppe)

    assert index in _plan(catalogue.matching(Project.objects.all(), query))


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        (Sort.NEWEST, "projects_catalogue_newest"),
        (Sort.TITLE, "projects_catalogue_title"),
        (Sort.START, "projects_catalogue_start"),
    ],
)
def test_each_order_of_the_catalogue_can_read_its_index(sort, index, fachgruppe):
    _bulk_projects("Ausbildung im Handwerk", fachgruppe=fachgruppe)

    assert index in _plan(catalogue.catalogue(AnonymousUser(), CatalogueFilter(sort=sort))[:12], ordered=True)


def test_a_meeting_search_can_use_the_indexes(fachgruppe):
    Meeting.objects.create(space=fachgruppe, audience=None, title="Werkstattgespräch")
    meetings = Meeting.objects.all()
    from portal import fulltext

    hits = meetings.alias(vector=fulltext.stored_vector()).filter(vector=fulltext.web_query("Werkstatt"))

    assert "meetings_meeting_search_vector_gin" in _plan(hits)
    assert meeting_search.CANDIDATES >= meeting_search.MAX_HITS


@pytest.mark.parametrize(
    ("model", "index"),
    [(Post, "groups_post_body_trgm"), (DocumentComment, "groups_documentcomment_body_trgm")],
)
def test_a_word_inside_a_compound_of_a_body_can_use_the_trigram_index(model, index):
    """The condition the search adds for compounds (Source.substring_fields), on the indexed expression."""
    assert index in _plan(
        model.objects.filter(portal_search._every_word_in((), ["handwerk"], cased=("body",)))
    )
