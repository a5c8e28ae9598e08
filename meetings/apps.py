from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings, agendas and minutes of the spaces."""

    name = "meetings"
    verbose_name = _("Sitzungen und Protokolle")

    def ready(self):
        from meetings import invitation_mail

        invitation_mail.register()
