"""On PostgreSQL: title, summary and description upper-cased and joined in one generated column with a
trigram index, for words inside compounds (projects.catalogue.matching). Nothing changes on SQLite
(see portal/fulltext.py).

The trigram indexes on the single columns (0002) stay: the site search (portal/search.py) still
looks words up in each column."""

from django.db import migrations

from portal.fulltext import add_upper_text


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0004_render_stored_markdown"),
    ]

    operations = [
        add_upper_text("projects_project", ["title", "summary", "description"]),
    ]
