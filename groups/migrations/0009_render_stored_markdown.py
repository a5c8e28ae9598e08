"""Renders the Markdown of existing rows into the new *_html columns (once, at upgrade)."""

from django.db import migrations

from portal.markdown import rerender

FIELDS = {
    "Space": {"description": "description_html"},
    "Post": {"body": "body_html"},
    "PostRevision": {"body": "body_html"},
    "Document": {"description": "description_html"},
    "DocumentComment": {"body": "body_html"},
    "Question": {"body": "body_html"},
    "InformationPage": {"body": "body_html"},
}


def render(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        rerender(apps.get_model("groups", model_name), fields)


class Migration(migrations.Migration):
    dependencies = [("groups", "0008_stored_markdown_html")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop)]
