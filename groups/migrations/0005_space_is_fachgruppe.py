"""The Fachgruppe is marked by a flag, not found by a slug that the admin lets anyone rename."""

from django.db import migrations, models


def mark_the_fachgruppe(apps, schema_editor):
    Space = apps.get_model("groups", "Space")
    Space.objects.filter(slug="fachgruppe-handwerk").update(is_fachgruppe=True)


class Migration(migrations.Migration):
    dependencies = [("groups", "0004_questions_and_information")]

    operations = [
        migrations.AddField(
            model_name="space",
            name="is_fachgruppe",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Der Raum, in den Fragen, Informationen und Projekte gehören; genau einer.",
                verbose_name="Ist die Fachgruppe",
            ),
        ),
        migrations.RunPython(mark_the_fachgruppe, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="space",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_fachgruppe", True)),
                fields=("is_fachgruppe",),
                name="space_only_one_fachgruppe",
            ),
        ),
    ]
