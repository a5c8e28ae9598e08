from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Events in an outbox, delivered by Celery: in the portal, by e-mail, in digests."""

    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self):
        # Only to keep the header's kept unread number right when a notification is written one
        # by one (the admin, a deletion); the services forget it themselves for their bulk writes.
        from django.db.models.signals import post_delete, post_save

        from portal.notifications import (
            checks,  # noqa: F401 - registers the system checks
            tasks,  # noqa: F401 - the code hands work to them by name
        )
        from portal.notifications.models import Notification
        from portal.notifications.selectors import forget_unread_counts

        def forget(*, instance, **_signal_arguments) -> None:
            forget_unread_counts([instance.user_id])

        post_save.connect(forget, sender=Notification, dispatch_uid="unread-count-save", weak=False)
        post_delete.connect(forget, sender=Notification, dispatch_uid="unread-count-delete", weak=False)
