"""Personal API tokens: read-only keys a person makes for their own scripts, kept only as a hash."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One personal token. The secret itself is shown once, when it is made, and never stored:
    the row keeps its SHA-256 (a random 256-bit secret needs no slow hash) and a short prefix
    by which its owner tells their tokens apart."""

    class Scope(models.TextChoices):
        READ = "read", _("Nur lesen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Bezeichnung"), max_length=200)
    scope = models.CharField(_("Berechtigung"), max_length=16, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-Zugang")
        verbose_name_plural = _("API-Zugänge")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
