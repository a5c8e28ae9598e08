"""The notification kinds of model projects (see portal/notifications/kinds.py). Imported by
ProjectsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.kinds import Kind, register_kind

register_kind(
    Kind.PROJECT_SUBMITTED, _("Projekt zur Prüfung eingereicht"), topic="coordination", personal=True
)
register_kind(Kind.PROJECT_DECIDED, _("Entscheidung über Ihr Projekt"), topic="personal", personal=True)
register_kind(Kind.PROJECT_ACCEPTED, _("Neues Modellprojekt im Schaufenster"), topic="published")
