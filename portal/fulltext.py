"""Indexed full-text search, shared by every kind of content that is searched.

On PostgreSQL a searched table carries a stored, weighted German search vector
that the database itself keeps (a generated column: bulk inserts, admin edits
and raw updates are found as well as `save()`), with a GIN index; substrings
inside German compounds ("Handwerk" in "Bäckerhandwerk") are found through
`pg_trgm` GIN indexes on the very expression Django's `icontains` compiles to
(`UPPER(column::text) LIKE UPPER('%word%')`), so they never scan the table.

These columns and indexes exist on PostgreSQL only: the migrations create them
with `postgres_only()` operations, and the models do not declare them (a model
field would have to exist on SQLite too, where `make run` and the suite's
laptop fallback keep their simpler `icontains` search). Queries reach the
vector through `stored_vector()`, and only on PostgreSQL (`is_indexed()`).

A new kind of content joins in three steps: a migration with
`add_search_vector(table, {column: weight})` (and `add_trigram_indexes` if
compounds must be found, or `add_upper_text` to find them with one LIKE per
word over several long columns), `stored_vector()` in its search selector, and a test
that the index exists (`tests/portal/test_fulltext.py` shows how).
"""

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, migrations
from django.db.models import Expression, F, Lookup, QuerySet, TextField
from django.db.models.lookups import Contains

CONFIG = "german"
VECTOR_COLUMN = "search_vector"
TEXT_COLUMN = "search_text"
# Fewer letters give no trigram to look up, so the index could not narrow anything.
SHORTEST_SUBSTRING = 3


class PostgresOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite keeps the plain tables)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def add_search_vector(table: str, weights: dict[str, str], *, column: str = VECTOR_COLUMN) -> PostgresOnly:
    """A generated tsvector column over `weights` ({column: "A".."D"}) and its GIN index."""
    parts = " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({_quote(source)}, '')), '{weight}')"
        for source, weight in weights.items()
    )
    index = f"{table}_{column}_gin"
    return PostgresOnly(
        sql=[
            f"ALTER TABLE {_quote(table)} ADD COLUMN {_quote(column)} tsvector "
            f"GENERATED ALWAYS AS ({parts}) STORED",
            f"CREATE INDEX {_quote(index)} ON {_quote(table)} USING gin ({_quote(column)})",
            # Without statistics on the new column the planner misjudges every search until autovacuum.
            f"ANALYZE {_quote(table)}",
        ],
        reverse_sql=[f"ALTER TABLE {_quote(table)} DROP COLUMN {_quote(column)}"],
    )


def add_trigram_indexes(table: str, columns: list[str], *, cased: bool = False) -> PostgresOnly:
    """GIN trigram indexes on UPPER(column::text), which `icontains` compiles to on PostgreSQL, or
    with `cased` on the column itself, for `contains` (LIKE without UPPER, cheaper on long texts)."""
    names = [f"{table}_{column}_trgm" for column in columns]
    indexed = "{}" if cased else "(UPPER({}::text))"
    return PostgresOnly(
        sql=[
            f"CREATE INDEX {_quote(name)} ON {_quote(table)} "
            f"USING gin ({indexed.format(_quote(column))} gin_trgm_ops)"
            for name, column in zip(names, columns, strict=True)
        ],
        reverse_sql=[f"DROP INDEX {_quote(name)}" for name in names],
    )


# Between the joined columns of a searched text: whitespace, which no searched word contains (words
# are what str.split() leaves), so a word is found inside one column, never across two.
TEXT_SEPARATOR = "\n"


def add_upper_text(table: str, columns: list[str], *, column: str = TEXT_COLUMN) -> PostgresOnly:
    """A generated column of `columns` upper-cased as `icontains` does (UPPER(column::text)) and joined
    by TEXT_SEPARATOR, with a trigram GIN index: a word inside a compound in any of them costs one
    LIKE on a stored text (`upper_contains`), not UPPER() over each column for every row walked.

    Stored out of line and uncompressed (STORAGE EXTERNAL, set in the statement that fills it): only
    the rows the LIKE is asked for read it, and the row keeps its search vector inline.
    """
    separator = TEXT_SEPARATOR.encode("unicode_escape").decode()  # "\\n", for E'...'
    upper = [f"UPPER(COALESCE({_quote(source)}::text, ''))" for source in columns]
    parts = f" || E'{separator}' || ".join(upper)
    index = f"{table}_{column}_trgm"
    return PostgresOnly(
        sql=[
            f"ALTER TABLE {_quote(table)} "
            f"ADD COLUMN {_quote(column)} text GENERATED ALWAYS AS ({parts}) STORED, "
            f"ALTER COLUMN {_quote(column)} SET STORAGE EXTERNAL",
            f"CREATE INDEX {_quote(index)} ON {_quote(table)} USING gin ({_quote(column)} gin_trgm_ops)",
            f"ANALYZE {_quote(table)}",
        ],
        reverse_sql=[f"ALTER TABLE {_quote(table)} DROP COLUMN {_quote(column)}"],
    )


def is_indexed() -> bool:
    """Whether the stored vectors exist (PostgreSQL); elsewhere search falls back to `icontains`."""
    return connection.vendor == "postgresql"


class StoredVector(Expression):
    """The generated search-vector column of the query's own table, which the model does not declare.

    Compiled against the query's base alias, so it stays right inside subqueries (`U0`).
    """

    output_field = SearchVectorField()

    def __init__(self, column: str = VECTOR_COLUMN):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name(self.column)}", []


def stored_vector(column: str = VECTOR_COLUMN) -> StoredVector:
    return StoredVector(column)


class StoredText(StoredVector):
    """The generated upper-cased text column of `add_upper_text`, which the model does not declare."""

    output_field = TextField()


def upper_contains(word: str, column: str = TEXT_COLUMN) -> Lookup:
    """`word` in any case inside the upper-cased stored text: `search_text LIKE UPPER('%word%')`, the
    pattern upper-cased by the database as `icontains` does, so both find the same rows."""
    return UpperContains(StoredText(column), word)


class UpperContains(Contains):
    """`contains` with the pattern upper-cased in SQL, for a column that holds upper-cased text.

    `strpos()` asks first: a row walked in an order's index that lacks the word is turned down by a
    skipping search (a third of LIKE's time at volume); the LIKE, which finds the same rows, is what
    the trigram index serves.
    """

    def get_rhs_op(self, connection, rhs):
        return f"LIKE UPPER({rhs})"

    def as_sql(self, compiler, connection):
        like, like_params = super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"(strpos({lhs}, UPPER(%s)) > 0 AND {like})", (*lhs_params, self.rhs, *like_params)


def web_query(terms: str) -> SearchQuery:
    """What a person typed, in websearch syntax ("phrase", -word, OR) with German stemming."""
    return SearchQuery(terms, config=CONFIG, search_type="websearch")


def substring_words(terms: str) -> list[str]:
    """The words that are looked up inside compounds (long enough for the trigram index)."""
    return [word for word in terms.split() if len(word) >= SHORTEST_SUBSTRING]


def ranked(queryset: QuerySet, *, query: SearchQuery, column: str = VECTOR_COLUMN) -> QuerySet:
    """`queryset` annotated with `rank` for `query` (0 for rows that match otherwise)."""
    return queryset.annotate(rank=SearchRank(StoredVector(column), query))


def capped(queryset: QuerySet, *, cap: int, order_by: tuple = (F("pk").desc(),)) -> QuerySet:
    """The ids of at most `cap` matching rows (the first in `order_by`), for `pk__in`: ranking and
    counting then work on a bounded set however common the words are."""
    return queryset.order_by(*order_by).values("pk")[:cap]


class RankedHits(Sequence):
    """Search hits already ranked: their ids in order, and the queryset that reads their rows.

    Counted by their number and read one slice at a time (`Paginator` pages it),
    so a page costs one query for its own rows however many hits there are.
    """

    def __init__(self, queryset: QuerySet, ids: list[int]):
        self.queryset = queryset
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.queryset.get(pk=self.ids[index])
        ids = self.ids[index]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]
