from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Datenschutz")

    def ready(self):
        # The data rights are recorded in the audit log (portal.audit), which knows nothing of them.
        from portal.audit import receivers
        from privacy.signals import account_erased, data_export_requested

        data_export_requested.connect(receivers.data_export_requested, dispatch_uid="audit-data-export")
        account_erased.connect(receivers.account_erased, dispatch_uid="audit-account-erased")
