"""On PostgreSQL: VACUUM (ANALYZE) the projects after 0005 rewrote the table.

A rewritten table has no visibility map, so every index-only scan (the catalogue's capped counts)
reads the heap until the next vacuum, and autovacuum does not count a rewrite as work to do: at
100,000 projects the bench's plain list fell from 227 to 40 requests a second. VACUUM cannot run
inside a transaction, hence a migration of its own that is not atomic."""

from django.db import migrations


def vacuum(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM (ANALYZE) projects_project")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("projects", "0005_stored_search_text"),
    ]

    operations = [
        migrations.RunPython(vacuum, migrations.RunPython.noop),
    ]
