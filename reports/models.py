"""The stored activity reports (Tätigkeitsberichte): one PDF per space, year and language."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _pdf_path(instance, filename: str) -> str:
    # Random like every stored file: only the report view, after the coordination check, reads it.
    return f"reports/{uuid.uuid4().hex}.pdf"


class ActivityReport(models.Model):
    """The PDF of a space's year as it stood when it was last rendered (reports.pdf).

    `requested_at` later than `rendered_at` (or no file yet) means a rendering was asked for
    and the task has not stored it yet.
    """

    space = models.ForeignKey(
        "groups.Space", on_delete=models.CASCADE, related_name="+", verbose_name=_("Raum")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    language = models.CharField(_("Sprache"), max_length=8)
    file = models.FileField(upload_to=_pdf_path, blank=True)
    rendered_at = models.DateTimeField(_("Erstellt am"), null=True, blank=True)
    requested_at = models.DateTimeField(_("Angefordert am"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Angefordert von"),
    )

    class Meta:
        verbose_name = _("Tätigkeitsbericht")
        verbose_name_plural = _("Tätigkeitsberichte")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "year", "language"], name="one_activity_report_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.year} ({self.language})"

    @property
    def is_pending(self) -> bool:
        if not self.file:
            return True
        return self.requested_at is not None and (
            self.rendered_at is None or self.requested_at > self.rendered_at
        )
