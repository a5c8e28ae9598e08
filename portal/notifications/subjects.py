"""What a person may follow (or stop following) from the notification centre, registered in code by the
apps that own it (groups/kinds.py: threads, meetings/kinds.py: meetings), so that notifications import
no feature. The name is the one in the address: /notifications/follow/<name>/<pk>/."""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

_FOLLOWABLE: dict[str, type[models.Model]] = {}


def register_followable(name: str, model: type[models.Model]) -> None:
    """Makes `model` followable under `name`; the same again changes nothing, another model is an error."""
    if _FOLLOWABLE.setdefault(name, model) is not model:
        raise ImproperlyConfigured(f"{name!r} is followable already: {_FOLLOWABLE[name].__name__}")


def followable(name: str) -> type[models.Model] | None:
    """The model followed under `name`, or None where nothing is."""
    return _FOLLOWABLE.get(name)
