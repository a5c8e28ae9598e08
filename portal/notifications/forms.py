"""The preferences form: a short list of plain-language topics, each a group of kinds of event,
with one channel for all of them. Stored as before, one Preference per kind (portal.notifications
.audience reads them); the per-space choices of the former matrix are kept and no longer shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups import access
from portal.forms import PortalForm
from portal.notifications import services
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Preference

AS_BY_DEFAULT = ""
# The kinds of a topic have different stored channels: saving leaves them as they are.
AS_THEY_ARE = "mixed"

CHOICES = [
    (Channel.IMMEDIATE.value, _("sofort")),
    (Channel.DAILY.value, _("täglich")),
    (Channel.WEEKLY.value, _("wöchentlich")),
    (Channel.IN_APP.value, _("nur im Portal")),
    (Channel.OFF.value, _("aus")),
]

# (name, label, kinds, for coordinators only). Every kind is in exactly one topic.
TOPICS = [
    (
        "membership",
        _("Meine Mitgliedschaften: Entscheidungen über meine Anfragen, Einladungen, Rollen"),
        [Kind.JOIN_DECIDED, Kind.INVITED, Kind.MEMBERSHIP_ENDED, Kind.ROLE_CHANGED],
        False,
    ),
    (
        "personal",
        _("Was mich persönlich betrifft: Erwähnungen, Antworten auf meine Fragen und Projekte"),
        [
            Kind.MENTIONED,
            Kind.WIDENED_FOR_AUTHOR,
            Kind.QUESTION_DECIDED,
            Kind.QUESTION_ANSWERED,
            Kind.PROJECT_DECIDED,
        ],
        False,
    ),
    (
        "discussions",
        _("Neue Diskussionen und Antworten in meinen Räumen"),
        [Kind.THREAD_CREATED, Kind.POST_CREATED, Kind.WIDENED],
        False,
    ),
    (
        "meetings",
        _("Sitzungen: Termine, Änderungen, Einladungen, Tagesordnungen, Protokolle"),
        [
            Kind.MEETING_SCHEDULED,
            Kind.MEETING_CHANGED,
            Kind.MEETING_CANCELLED,
            Kind.MEETING_INVITED,
            Kind.AGENDA_PUBLISHED,
            Kind.MINUTES_PUBLISHED,
            Kind.POLL_OPENED,
            Kind.POLL_CLOSED,
            Kind.REGISTRATION_MOVED_UP,
        ],
        False,
    ),
    (
        "tasks",
        _("Meine Aufgaben aus Sitzungen: neu, bald fällig, überfällig"),
        [Kind.ACTION_ITEM_ASSIGNED, Kind.ACTION_ITEM_DUE, Kind.ACTION_ITEM_OVERDUE],
        False,
    ),
    (
        "published",
        _("Neues für Betriebe: Informationen und Modellprojekte"),
        [Kind.INFORMATION_PUBLISHED, Kind.PROJECT_ACCEPTED],
        False,
    ),
    (
        "coordination",
        _("Für Koordinierende: Beitrittsanfragen, Fragen und Projekte zur Prüfung, Austritte"),
        [Kind.JOIN_REQUESTED, Kind.QUESTION_ASKED, Kind.PROJECT_SUBMITTED, Kind.MEMBER_LEFT],
        True,
    ),
]


def topics_for(user) -> list[tuple]:
    """The topics that can reach this person: the coordination's only for coordinators."""
    coordinates = user.is_staff or bool(access.coordinated_space_ids(user))
    return [topic for topic in TOPICS if coordinates or not topic[3]]


class PreferencesForm(PortalForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.topics = topics_for(user)
        stored = dict(Preference.objects.filter(user=user, space__isnull=True).values_list("kind", "channel"))
        self.rows = []
        for name, label, kinds, _coordinators in self.topics:
            chosen = {stored.get(kind.value, AS_BY_DEFAULT) for kind in kinds}
            choices = [(AS_BY_DEFAULT, _("wie voreingestellt")), *CHOICES]
            if len(chosen) > 1:
                initial = AS_THEY_ARE
                choices.insert(0, (AS_THEY_ARE, _("unterschiedlich (unverändert lassen)")))
            else:
                initial = chosen.pop()
            self.fields[f"topic_{name}"] = forms.ChoiceField(
                label=label, choices=choices, initial=initial, required=False
            )
            self.rows.append({"name": name, "kinds": kinds, "field": self[f"topic_{name}"]})
        self.has_space_choices = Preference.objects.filter(user=user, space__isnull=False).exists()

    def save(self) -> None:
        for row in self.rows:
            channel = self.cleaned_data.get(f"topic_{row['name']}")
            if channel == AS_THEY_ARE:
                continue
            for kind in row["kinds"]:
                if channel:
                    services.preference_set(user=self.user, kind=kind, channel=channel)
                else:
                    Preference.objects.filter(user=self.user, kind=kind, space__isnull=True).delete()
