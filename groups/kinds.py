"""The notification kinds of people, spaces, discussions, questions and information (see
portal/notifications/kinds.py). Imported by GroupsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from groups.models import Thread
from portal.notifications.kinds import Kind, register_kind
from portal.notifications.subjects import register_followable

register_kind(Kind.JOIN_REQUESTED, _("Neue Beitrittsanfrage"), topic="coordination", personal=True)
register_kind(
    Kind.JOIN_DECIDED, _("Entscheidung über Ihre Beitrittsanfrage"), topic="membership", personal=True
)
register_kind(Kind.INVITED, _("Einladung in einen Raum"), topic="membership", personal=True)
register_kind(Kind.WIDENED, _("Inhalt für einen weiteren Kreis freigegeben"), topic="discussions")
register_kind(
    Kind.WIDENED_FOR_AUTHOR,
    _("Ihr Beitrag ist für einen weiteren Kreis freigegeben"),
    topic="personal",
    personal=True,
)
register_kind(Kind.THREAD_CREATED, _("Neue Diskussion"), topic="discussions")
register_kind(Kind.POST_CREATED, _("Neue Antwort in einer Diskussion"), topic="discussions")
register_kind(Kind.MENTIONED, _("Erwähnung"), topic="personal", personal=True)
register_kind(Kind.QUESTION_ASKED, _("Neue Frage an die Fachgruppe"), topic="coordination", personal=True)
register_kind(Kind.QUESTION_DECIDED, _("Entscheidung über Ihre Frage"), topic="personal", personal=True)
register_kind(Kind.QUESTION_ANSWERED, _("Ihre Frage ist beantwortet"), topic="personal", personal=True)
register_kind(
    Kind.INFORMATION_PUBLISHED, _("Neue Information für Betriebe veröffentlicht"), topic="published"
)
register_kind(Kind.MEMBERSHIP_ENDED, _("Aus einem Raum entfernt"), topic="membership", personal=True)
register_kind(Kind.ROLE_CHANGED, _("Ihre Rolle in einem Raum geändert"), topic="membership", personal=True)
register_kind(
    Kind.MEMBER_LEFT, _("Ein Mitglied hat einen Raum verlassen"), topic="coordination", personal=True
)

register_followable("thread", Thread)
