from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only record of who decided what, where and from which address."""

    name = "portal.audit"
    label = "audit"
    verbose_name = _("Aktivitätsprotokoll")
    default_auto_field = "django.db.models.BigAutoField"
