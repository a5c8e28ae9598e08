"""The notification kinds of meetings (see portal/notifications/kinds.py). Imported by
MeetingsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from portal.notifications.kinds import Kind, register_kind
from portal.notifications.subjects import register_followable

register_kind(Kind.MEETING_SCHEDULED, _("Neue Sitzung angesetzt"), topic="meetings")
register_kind(Kind.MEETING_CHANGED, _("Sitzung geändert"), topic="meetings")
register_kind(Kind.MEETING_CANCELLED, _("Sitzung abgesagt"), topic="meetings")
register_kind(Kind.AGENDA_PUBLISHED, _("Tagesordnung veröffentlicht"), topic="meetings", personal=True)
register_kind(Kind.MINUTES_PUBLISHED, _("Protokoll veröffentlicht"), topic="meetings")
register_kind(Kind.ACTION_ITEM_ASSIGNED, _("Neue Aufgabe für Sie"), topic="tasks", personal=True)
register_kind(Kind.ACTION_ITEM_DUE, _("Aufgabe bald fällig"), topic="tasks", personal=True)
register_kind(Kind.ACTION_ITEM_OVERDUE, _("Aufgabe überfällig"), topic="tasks", personal=True)
register_kind(Kind.POLL_OPENED, _("Terminumfrage zu einer Sitzung"), topic="meetings")
register_kind(Kind.POLL_CLOSED, _("Termin einer Sitzung festgelegt"), topic="meetings")
register_kind(
    Kind.REGISTRATION_MOVED_UP, _("Von der Warteliste nachgerückt"), topic="meetings", personal=True
)
register_kind(Kind.MEETING_INVITED, _("Einladung zu einer Sitzung"), topic="meetings", personal=True)

register_followable("meeting", Meeting)
