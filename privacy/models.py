"""A person's requests for their data (Art. 15 and 20 DSGVO) and the ZIP each one built."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def _export_path(export: "DataExport", filename: str) -> str:
    # The key in the path keeps the file's name unguessable even to someone who can list the folder.
    return f"privacy/exports/{export.key}.zip"


class DataExport(models.Model):
    """One request "Meine Daten herunterladen": built by a task, downloadable for VALID_FOR, then deleted."""

    VALID_FOR = timedelta(days=7)

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet auf Bearbeitung")
        RUNNING = "running", _("Wird erstellt")
        READY = "ready", _("Bereit zum Herunterladen")
        FAILED = "failed", _("Fehlgeschlagen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True, default=_new_key, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Sections of the export written so far, of SECTION_COUNT (privacy.export).
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Datenauskunft")
        verbose_name_plural = _("Datenauskünfte")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="data_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
