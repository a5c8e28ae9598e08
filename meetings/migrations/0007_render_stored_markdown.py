"""Renders the Markdown of existing meetings, agenda items and minutes into the new *_html
columns, and adds the rendered HTML to the snapshots of earlier minutes."""

from django.db import migrations

from portal.markdown import render_markdown, rerender

FIELDS = {
    "Meeting": {"description": "description_html"},
    "AgendaItem": {"details": "details_html", "discussion": "discussion_html"},
    "Minutes": {"introduction": "introduction_html"},
}


def render(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        rerender(apps.get_model("meetings", model_name), fields)
    MinutesRevision = apps.get_model("meetings", "MinutesRevision")
    for revision in MinutesRevision.objects.iterator(chunk_size=200):
        snapshot = revision.snapshot
        snapshot["introduction_html"] = str(render_markdown(snapshot.get("introduction", "")))
        for item in snapshot.get("items", []):
            item["discussion_html"] = str(render_markdown(item.get("discussion", "")))
        revision.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_stored_markdown_html")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop)]
