"""On PostgreSQL: the stored German search vector of a project with its GIN index, trigram indexes for
words inside compounds, and partial indexes in the catalogue's orders. Nothing changes on SQLite
(see portal/fulltext.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from portal.fulltext import PostgresOnly, add_search_vector, add_trigram_indexes

ACCEPTED = "WHERE status = 'accepted'"
NEWEST = "accepted_at DESC NULLS LAST, submitted_at DESC NULLS LAST, id DESC"


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        add_search_vector("projects_project", {"title": "A", "summary": "B", "description": "C"}),
        add_trigram_indexes("projects_project", ["title", "summary", "description"]),
        PostgresOnly(
            sql=[
                f"CREATE INDEX projects_catalogue_newest ON projects_project ({NEWEST}) {ACCEPTED}",
                f"CREATE INDEX projects_catalogue_title ON projects_project (LOWER(title), id) {ACCEPTED}",
                "CREATE INDEX projects_catalogue_start ON projects_project "
                f"(starts_on DESC NULLS LAST, {NEWEST}) {ACCEPTED}",
                # The capped count of the public list reads only this small index.
                f"CREATE INDEX projects_catalogue_audience ON projects_project (audience_id) {ACCEPTED}",
            ],
            reverse_sql=[
                "DROP INDEX projects_catalogue_newest",
                "DROP INDEX projects_catalogue_title",
                "DROP INDEX projects_catalogue_start",
                "DROP INDEX projects_catalogue_audience",
            ],
        ),
    ]
