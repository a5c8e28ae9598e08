from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Personen und Gruppen")

    def ready(self):
        from groups import checks, kinds, services, subscriptions  # noqa: F401 - checks and kinds register themselves

        subscriptions.register_mails()
        services.register_mails()
