from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Events in an outbox, delivered by Celery: in the portal, by e-mail, in digests."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Benachrichtigungen")
