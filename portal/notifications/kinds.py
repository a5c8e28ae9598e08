"""The kinds of events and the channels a person can choose for each.

Other apps add their kinds here as they start sending events (meetings,
projects, questions); the delivery machinery does not change for them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    JOIN_REQUESTED = "join_requested", _("Neue Beitrittsanfrage")
    JOIN_DECIDED = "join_decided", _("Entscheidung über Ihre Beitrittsanfrage")
    INVITED = "invited", _("Einladung in einen Raum")
    WIDENED = "widened", _("Inhalt für einen weiteren Kreis freigegeben")
    WIDENED_FOR_AUTHOR = "widened_for_author", _("Ihr Beitrag ist für einen weiteren Kreis freigegeben")
    THREAD_CREATED = "thread_created", _("Neue Diskussion")
    POST_CREATED = "post_created", _("Neue Antwort in einer Diskussion")
    MENTIONED = "mentioned", _("Erwähnung")
    QUESTION_ASKED = "question_asked", _("Neue Frage an die Fachgruppe")
    QUESTION_DECIDED = "question_decided", _("Entscheidung über Ihre Frage")
    QUESTION_ANSWERED = "question_answered", _("Ihre Frage ist beantwortet")
    INFORMATION_PUBLISHED = "information_published", _("Neue Information für Betriebe veröffentlicht")
    MEETING_SCHEDULED = "meeting_scheduled", _("Neue Sitzung angesetzt")
    MEETING_CHANGED = "meeting_changed", _("Sitzung geändert")
    MEETING_CANCELLED = "meeting_cancelled", _("Sitzung abgesagt")
    AGENDA_PUBLISHED = "agenda_published", _("Tagesordnung veröffentlicht")
    MINUTES_PUBLISHED = "minutes_published", _("Protokoll veröffentlicht")
    ACTION_ITEM_ASSIGNED = "action_item_assigned", _("Neue Aufgabe für Sie")
    ACTION_ITEM_DUE = "action_item_due", _("Aufgabe bald fällig")
    ACTION_ITEM_OVERDUE = "action_item_overdue", _("Aufgabe überfällig")
    POLL_OPENED = "poll_opened", _("Terminumfrage zu einer Sitzung")
    POLL_CLOSED = "poll_closed", _("Termin einer Sitzung festgelegt")
    REGISTRATION_MOVED_UP = "registration_moved_up", _("Von der Warteliste nachgerückt")
    MEETING_INVITED = "meeting_invited", _("Einladung zu einer Sitzung")
    PROJECT_SUBMITTED = "project_submitted", _("Projekt zur Prüfung eingereicht")
    PROJECT_DECIDED = "project_decided", _("Entscheidung über Ihr Projekt")
    PROJECT_ACCEPTED = "project_accepted", _("Neues Modellprojekt im Schaufenster")
    MEMBERSHIP_ENDED = "membership_ended", _("Aus einem Raum entfernt")
    ROLE_CHANGED = "role_changed", _("Ihre Rolle in einem Raum geändert")
    MEMBER_LEFT = "member_left", _("Ein Mitglied hat einen Raum verlassen")


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Sofort per E-Mail")
    DAILY = "daily", _("Im täglichen Überblick")
    WEEKLY = "weekly", _("Im wöchentlichen Überblick")
    IN_APP = "in_app", _("Nur im Portal")
    OFF = "off", _("Aus")


# Kinds addressed to one person about their own affairs: they matter at once.
PERSONAL_KINDS = {
    Kind.JOIN_REQUESTED,
    Kind.JOIN_DECIDED,
    Kind.INVITED,
    Kind.WIDENED_FOR_AUTHOR,
    Kind.MENTIONED,
    Kind.AGENDA_PUBLISHED,
    Kind.QUESTION_ASKED,
    Kind.QUESTION_DECIDED,
    Kind.QUESTION_ANSWERED,
    Kind.ACTION_ITEM_ASSIGNED,
    Kind.ACTION_ITEM_DUE,
    Kind.ACTION_ITEM_OVERDUE,
    Kind.REGISTRATION_MOVED_UP,
    Kind.MEETING_INVITED,
    Kind.PROJECT_SUBMITTED,
    Kind.PROJECT_DECIDED,
    Kind.MEMBERSHIP_ENDED,
    Kind.ROLE_CHANGED,
    Kind.MEMBER_LEFT,
}

# Channels whose mail waits for a digest, by the name of the digest.
DIGEST_CHANNELS = {Channel.DAILY, Channel.WEEKLY}
