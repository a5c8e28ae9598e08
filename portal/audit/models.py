"""The audit log: one row per decision, written once and never changed.

Every reference (who acted, whom it concerned, the space, the object) is
kept twice: as a foreign key that turns NULL when the row it points to is
deleted, and as a label written at the time, so an entry still says who and
what after an object is deleted. An erased account keeps its id and loses its
name and address in the texts (services.pseudonymise). On PostgreSQL a trigger
refuses every DELETE and every UPDATE but that NULLing (migration 0002) and
that pseudonymisation (migration 0003).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import actions


class AuditEntry(models.Model):
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, editable=False)
    action = models.CharField(_("Art"), max_length=40, choices=actions.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("Wer"), max_length=300, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_label = models.CharField(_("Betroffene Person"), max_length=300, blank=True)
    space = models.ForeignKey(
        "groups.Space", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space_label = models.CharField(_("Raum"), max_length=200, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("Gegenstand"), max_length=300, blank=True)
    summary = models.TextField(_("Beschreibung"), blank=True)
    before = models.JSONField(_("Vorher"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("Nachher"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("Adresse"), null=True, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Aktivitätsprotokoll")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_recent_idx"),
            models.Index(fields=["space", "-at", "-id"], name="audit_space_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.target_label or self.person_label}"

    @property
    def before_text(self) -> str:
        return changes_text(self.before)

    @property
    def after_text(self) -> str:
        return changes_text(self.after)


def changes_text(values) -> str:
    """Values before or after, as one line: "role: member; audience: Fachgruppe Handwerk"."""
    if not values:
        return ""
    if not isinstance(values, dict):
        return str(values)
    return "; ".join(f"{key}: {_text(value)}" for key, value in values.items())


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "–" if value is None else str(value)
