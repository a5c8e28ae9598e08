"""The portal-wide search (portal/search.py): the text of uploaded document versions, and on PostgreSQL
stored German search vectors with GIN indexes for threads, posts, documents, their comments and
versions, questions and information pages, and trigram indexes on their titles. Nothing but the two fields changes on SQLite (see
portal/fulltext.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from portal.fulltext import add_search_vector, add_trigram_indexes


class TrigramExtensionKept(TrigramExtension):
    """pg_trgm, created if missing; going back keeps it, since other apps' indexes use it too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0013_subscriber_mails_in_the_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentversion",
            name="extracted_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="documentversion",
            name="text_extracted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        add_search_vector("groups_thread", {"title": "A"}),
        add_search_vector("groups_post", {"body": "B"}),
        add_search_vector("groups_document", {"title": "A", "description": "B"}),
        add_search_vector("groups_documentcomment", {"body": "B"}),
        add_search_vector("groups_documentversion", {"original_name": "A", "note": "B", "extracted_text": "C"}),
        add_search_vector("groups_question", {"title": "A", "body": "B", "working_group": "C"}),
        add_search_vector("groups_informationpage", {"title": "A", "summary": "B", "body": "C"}),
        # Words inside compounds of titles ("Handwerk" in "Bäckerhandwerk"); projects have theirs.
        TrigramExtensionKept(),
        add_trigram_indexes("groups_thread", ["title"]),
        add_trigram_indexes("groups_document", ["title"]),
        add_trigram_indexes("groups_question", ["title"]),
        add_trigram_indexes("groups_informationpage", ["title"]),
    ]
