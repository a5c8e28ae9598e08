from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings, agendas and minutes of the spaces."""

    name = "meetings"
    verbose_name = _("Sitzungen und Protokolle")

    def ready(self):
        # kinds registers the notification kinds, tasks the tasks the code hands work to by name
        from meetings import guests, invitation_mail, kinds, panels, tasks  # noqa: F401

        invitation_mail.register()
        guests.register_mails()
        panels.register()
