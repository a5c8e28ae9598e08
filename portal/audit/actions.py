"""The kinds of audit entries: a registry in code. The database column has no fixed list of
choices (the model names this module's `choices` callable, which migrations store by name),
so a new kind needs no migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # Memberships
    JOIN_APPROVED = "join_approved", _("Beitrittsanfrage angenommen")
    JOIN_DECLINED = "join_declined", _("Beitrittsanfrage abgelehnt")
    INVITATION_CREATED = "invitation_created", _("Einladung verschickt")
    INVITATION_ACCEPTED = "invitation_accepted", _("Einladung angenommen")
    ROLE_CHANGED = "role_changed", _("Rolle geändert")
    MEMBER_REMOVED = "member_removed", _("Mitglied entfernt")
    MEMBER_LEFT = "member_left", _("Hat den Raum verlassen")
    # Audiences and publications
    WIDENED = "widened", _("Für einen weiteren Kreis freigegeben")
    AGENDA_PUBLISHED = "agenda_published", _("Tagesordnung veröffentlicht")
    MINUTES_PUBLISHED = "minutes_published", _("Protokoll veröffentlicht")
    MINUTES_APPROVED = "minutes_approved", _("Protokoll genehmigt")
    INFORMATION_PUBLISHED = "information_published", _("Information veröffentlicht")
    # Decisions
    PROJECT_DECIDED = "project_decided", _("Über ein Projekt entschieden")
    QUESTION_ACCEPTED = "question_accepted", _("Frage angenommen")
    QUESTION_DECLINED = "question_declined", _("Frage abgelehnt")
    QUESTION_MERGED = "question_merged", _("Frage zusammengeführt")
    # Deletions and data
    AGENDA_ITEM_DELETED = "agenda_item_deleted", _("Tagesordnungspunkt gelöscht")
    DECISION_DELETED = "decision_deleted", _("Beschluss gelöscht")
    PROJECT_DRAFT_DELETED = "project_draft_deleted", _("Projektentwurf gelöscht")
    ACCOUNT_ERASED = "account_erased", _("Konto gelöscht")
    DATA_EXPORT_REQUESTED = "data_export_requested", _("Datenauskunft angefordert")
    DATA_EXPORTED = "data_exported", _("Daten exportiert")
    # The Django admin
    ADMIN_ADDED = "admin_added", _("In der Verwaltung angelegt")
    ADMIN_CHANGED = "admin_changed", _("In der Verwaltung geändert")
    ADMIN_DELETED = "admin_deleted", _("In der Verwaltung gelöscht")


def choices() -> list[tuple[str, str]]:
    return Action.choices
