from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shared pieces: layout, accounts glue, health check, demo data."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.urls import register_converter

        from portal.converters import TokenConverter

        # Before any URL configuration is loaded, which happens lazily at the first request.
        register_converter(TokenConverter, "token")
