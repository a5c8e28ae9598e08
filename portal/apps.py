from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shared pieces: layout, accounts glue, health check, demo data."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models import fields
        from django.urls import register_converter

        from portal.converters import TokenConverter

        # Before any URL configuration is loaded, which happens lazily at the first request.
        register_converter(TokenConverter, "token")

        # Only to forget cached reads (portal/readcache.py); no flow of the portal runs through signals.
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.readcache import begin_request, content_changed, end_request

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid=f"readcache-{id(signal)}")
        request_started.connect(begin_request, dispatch_uid="readcache-begin-request")
        request_finished.connect(end_request, dispatch_uid="readcache-end-request")

        # Django 6.1's empty choice of a select, "- Select an option -", has no German translation;
        # Django asks projects to set their own here, before any form is built. Portal is the
        # first installed app, so its ready() runs before the admin loads any form.
        fields.BLANK_CHOICE_LABEL = _("– Bitte wählen –")
