from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Auswertungen")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Participant
        from meetings.signals import rows_changed
        from reports.meeting_months import meetings_changed

        # Any change to what the kept months count forgets them (reports.meeting_months).
        for model in (Meeting, Participant, AgendaItem, Decision, ActionItem):
            for signal in (post_save, post_delete):
                uid = f"meeting-months-{id(signal)}-{model.__name__}"
                signal.connect(meetings_changed, sender=model, dispatch_uid=uid)
        rows_changed.connect(meetings_changed, dispatch_uid="meeting-months-rows-changed")
