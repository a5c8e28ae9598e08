"""The admin site whose every ModelAdmin records what staff add, change and delete in the audit log.

AuditedAdminSite (the default site, portal.audit.admin_config) mixes
AuditedAdminMixin into each registration, third-party ones included, so no
admin can forget it. The changed fields' values before and after go into the
entry; secrets only as "***". This module registers nothing: a registration
here would reach the lazy default site while it is being built.
"""

import json

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db.models import Model, QuerySet
from django.forms import ModelChoiceField
from django.utils import translation

from portal.audit import services as audit
from portal.audit.actions import Action

# Fields whose values never go into an entry (a password hash, secret tokens); that they changed does.
SECRET_FIELDS = {"password", "token", "secret", "key"}
VALUE_LENGTH = 200


def _value(form, name: str, value):
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)
    field = form.fields.get(name)
    if isinstance(field, ModelChoiceField) and value not in (None, ""):
        found = field.queryset.filter(pk=value).first()
        return str(found) if found is not None else value
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"


def changed_values(form, *, add: bool) -> tuple[dict | None, dict | None]:
    """The changed fields of an admin form: their values before (None for an addition) and after."""
    before, after = {}, {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            before[name] = after[name] = "***"
            continue
        if not add:
            before[name] = _value(form, name, form.initial.get(name))
        after[name] = _value(form, name, form.cleaned_data.get(name))
    return (before or None) if not add else None, after or None


def _change_message(message) -> str:
    """The admin's own description of the change, in the portal's language."""
    entry = LogEntry(change_message=json.dumps(message) if isinstance(message, list) else message)
    with translation.override(settings.LANGUAGE_CODE):
        return entry.get_change_message()


class AuditedAdminMixin:
    def construct_change_message(self, request, form, formsets, add=False):
        request._audit_values = changed_values(form, add=add)
        return super().construct_change_message(request, form, formsets, add)

    def _audit(self, action: Action, request, obj, message="") -> None:
        before, after = getattr(request, "_audit_values", (None, None))
        request._audit_values = (None, None)
        audit.record(
            action,
            actor=request.user,
            target=obj,
            request=request,
            before=before,
            after=after,
            summary=_change_message(message) if message else "",
        )

    def log_addition(self, request, obj, message):
        logged = super().log_addition(request, obj, message)
        self._audit(Action.ADMIN_ADDED, request, obj, message)
        return logged

    def log_change(self, request, obj, message):
        logged = super().log_change(request, obj, message)
        self._audit(Action.ADMIN_CHANGED, request, obj, message)
        return logged

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        logged = super().log_deletions(request, objects)
        for obj in objects:
            self._audit(Action.ADMIN_DELETED, request, obj)
        return logged


class AuditedAdminSite(admin.AdminSite):
    """The default admin site (portal.audit.apps.PortalAdminConfig): every registration is audited."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
