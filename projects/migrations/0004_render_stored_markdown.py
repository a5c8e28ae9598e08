"""Renders the description of existing projects into the new description_html column."""

from django.db import migrations

from portal.markdown import rerender


def render(apps, schema_editor):
    rerender(apps.get_model("projects", "Project"), {"description": "description_html"})


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_stored_markdown_html")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop)]
