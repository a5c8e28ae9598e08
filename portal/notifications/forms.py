"""The preferences form: a short list of plain-language topics, each a group of kinds of event,
with one channel for all of them. Stored as before, one Preference per kind (portal.notifications
.audience reads them); the per-space choices of the former matrix are kept and no longer shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups import access
from portal.forms import PortalForm
from portal.notifications import kinds, services
from portal.notifications.kinds import Channel
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

# (name, label, for coordinators only). The kinds of a topic are those registered with it
# (kinds.register_kind(..., topic=name)); a kind registered with another topic is refused by the
# system check notifications.E003.
TOPIC_NAMES = [
    (
        "membership",
        _("Meine Mitgliedschaften: Entscheidungen über meine Anfragen, Einladungen, Rollen"),
        False,
    ),
    (
        "personal",
        _("Was mich persönlich betrifft: Erwähnungen, Antworten auf meine Fragen und Projekte"),
        False,
    ),
    ("discussions", _("Neue Diskussionen und Antworten in meinen Räumen"), False),
    ("meetings", _("Sitzungen: Termine, Änderungen, Einladungen, Tagesordnungen, Protokolle"), False),
    ("tasks", _("Meine Aufgaben aus Sitzungen: neu, bald fällig, überfällig"), False),
    ("published", _("Neues für Betriebe: Informationen und Modellprojekte"), False),
    (
        "coordination",
        _("Für Koordinierende: Beitrittsanfragen, Fragen und Projekte zur Prüfung, Austritte"),
        True,
    ),
]


class _Topics:
    """(name, label, kinds, for coordinators only) per topic, the kinds read from the registry
    when asked, so that a kind registered by any app is on the page."""

    def __iter__(self):
        for name, label, coordinators_only in TOPIC_NAMES:
            yield name, label, kinds.in_topic(name), coordinators_only


TOPICS = _Topics()


def topics_for(user) -> list[tuple]:
    """The topics that can reach this person: the coordination's only for coordinators."""
    coordinates = access.coordinates_any_space(user)
    return [topic for topic in TOPICS if coordinates or not topic[3]]


class PreferencesForm(PortalForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.topics = topics_for(user)
        stored = dict(Preference.objects.filter(user=user, space__isnull=True).values_list("kind", "channel"))
        self.rows = []
        for name, label, topic_kinds, _coordinators in self.topics:
            chosen = {stored.get(kind, AS_BY_DEFAULT) for kind in topic_kinds}
            choices = [(AS_BY_DEFAULT, _("wie voreingestellt")), *CHOICES]
            if len(chosen) > 1:
                initial = AS_THEY_ARE
                choices.insert(0, (AS_THEY_ARE, _("unterschiedlich (unverändert lassen)")))
            else:
                initial = chosen.pop()
            self.fields[f"topic_{name}"] = forms.ChoiceField(
                label=label, choices=choices, initial=initial, required=False
            )
            self.rows.append({"name": name, "kinds": topic_kinds, "field": self[f"topic_{name}"]})
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
