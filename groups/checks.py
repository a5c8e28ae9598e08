"""System checks of the spaces tree (run with `manage.py check --database default`)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def exactly_one_fachgruppe(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    from groups.models import Space

    errors = []
    for alias in databases:
        try:
            count = Space.objects.using(alias).filter(is_fachgruppe=True).count()
        except DatabaseError:
            continue  # not migrated yet: migrate reports that itself
        if count != 1:
            errors.append(
                Error(
                    f"{count} spaces are marked as the Fachgruppe in {alias!r}; exactly one must be.",
                    hint="Mark the Fachgruppe with Space.is_fachgruppe (migration groups 0005 does it).",
                    id="groups.E001",
                )
            )
    return errors
