"""The first two rings of the onion: the Fachgruppe and, inside it, the inner circle."""

from django.db import migrations

FACHGRUPPE = {
    "slug": "fachgruppe-handwerk",
    "name": "Fachgruppe Handwerk",
    "summary": (
        "Offen für alle Partner der Offensive Mittelstand, die Handwerksbetriebe beraten "
        "oder zu handwerksspezifischen Fragen beitragen können."
    ),
    "admission": "request",
}
INNER = {
    "slug": "fachkraeftezentren-handwerk",
    "name": "Fachkräftezentren Handwerk",
    "summary": (
        "Der interne Kreis der Beraterinnen und Berater von Handwerksorganisationen "
        "für organisationsspezifische Fragen."
    ),
    "admission": "invitation",
}


def create_spaces(apps, schema_editor):
    Space = apps.get_model("groups", "Space")
    fachgruppe, _ = Space.objects.get_or_create(slug=FACHGRUPPE["slug"], defaults=FACHGRUPPE)
    Space.objects.get_or_create(slug=INNER["slug"], defaults={**INNER, "parent": fachgruppe})


class Migration(migrations.Migration):
    dependencies = [("groups", "0002_spaces_memberships_content")]

    operations = [migrations.RunPython(create_spaces, migrations.RunPython.noop)]
