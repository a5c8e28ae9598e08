"""On PostgreSQL: stored German search vectors with GIN indexes for meetings, agenda items (the agenda
and, apart, the minutes' discussion), decisions and action items. Nothing changes on SQLite (see
portal/fulltext.py)."""

from django.db import migrations

from portal.fulltext import add_search_vector


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0004_minutes_pdf"),
    ]

    operations = [
        add_search_vector("meetings_meeting", {"title": "A", "description": "B"}),
        add_search_vector("meetings_agendaitem", {"title": "A", "details": "B"}),
        add_search_vector("meetings_agendaitem", {"discussion": "B"}, column="minutes_search_vector"),
        add_search_vector("meetings_decision", {"text": "B"}),
        add_search_vector("meetings_actionitem", {"title": "A", "other_assignees": "B"}),
    ]
