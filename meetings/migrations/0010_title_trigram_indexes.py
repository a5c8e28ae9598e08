"""On PostgreSQL: trigram indexes on the titles of meetings and agenda items, through which the
portal-wide search (portal/search.py) finds words inside compounds. Nothing changes on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from portal.fulltext import add_trigram_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0009_participant_language"),
    ]

    operations = [
        TrigramExtension(),
        add_trigram_indexes("meetings_meeting", ["title"]),
        add_trigram_indexes("meetings_agendaitem", ["title"]),
    ]
