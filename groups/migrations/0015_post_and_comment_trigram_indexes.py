"""Words inside compounds ("Handwerk" in "Bäckerhandwerk") are found in the bodies of discussion posts
and document comments too (portal/search.py): trigram indexes on the Markdown the search vectors are
made of, on the column itself (the search matches the word in lower case and capitalised there). Nothing changes on SQLite (see portal/fulltext.py)."""

from django.db import migrations

from portal.fulltext import PostgresOnly, add_trigram_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0014_search_vectors_and_document_text"),
    ]

    operations = [
        add_trigram_indexes("groups_post", ["body"], cased=True),
        add_trigram_indexes("groups_documentcomment", ["body"], cased=True),
        # Statistics on the indexed expressions: without them the planner guesses how many bodies
        # contain a word, and takes the trigram index for a common word or a scan for a rare one.
        PostgresOnly(
            sql=["ANALYZE groups_post", "ANALYZE groups_documentcomment"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
