"""System checks of the notification kinds (kinds.py): every kind the code names is registered,
every registered kind sits on a topic of the preferences page, and (with `--database default`)
every kind stored in the database is still registered."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register()
def kinds_are_registered(app_configs, **kwargs):
    from portal.notifications import kinds
    from portal.notifications.forms import TOPIC_NAMES

    errors = [
        Error(
            f"The notification kind {kind.value!r} is named in Kind but no app registers it.",
            hint="Call portal.notifications.kinds.register_kind() in the owning app's kinds module.",
            id="notifications.E001",
        )
        for kind in kinds.Kind
        if not kinds.is_registered(kind)
    ]
    topics = {name for name, _label, _only in TOPIC_NAMES}
    errors += [
        Error(
            f"The notification kind {spec.value!r} is registered with the unknown topic {spec.topic!r}.",
            hint=f"Use one of {sorted(topics)} (portal.notifications.forms.TOPIC_NAMES).",
            id="notifications.E003",
        )
        for spec in kinds.registered()
        if spec.topic not in topics
    ]
    return errors


@register(Tags.database)
def stored_kinds_are_registered(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    from portal.notifications import kinds
    from portal.notifications.models import Event, Preference

    errors = []
    for alias in databases:
        try:
            stored = set(Event.objects.using(alias).values_list("kind", flat=True).distinct())
            stored |= set(Preference.objects.using(alias).values_list("kind", flat=True).distinct())
        except DatabaseError:
            continue  # not migrated yet: migrate reports that itself
        errors += [
            Error(
                f"Notifications of the kind {kind!r} are stored in {alias!r}, but no app registers it.",
                hint="Register it again (kinds.register_kind) or migrate the rows to a registered kind.",
                id="notifications.E002",
            )
            for kind in sorted(stored)
            if not kinds.is_registered(kind)
        ]
    return errors
