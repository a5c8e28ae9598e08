from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shared pieces: layout, accounts glue, health check, demo data."""

    name = "portal"
    verbose_name = _("Portal")
