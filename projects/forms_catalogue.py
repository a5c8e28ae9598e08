"""The catalogue's filters as GET parameters (bookmarkable, no JavaScript needed), shared by the list,
the feeds and the exports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation, Topic, Trade
from portal import limits, readcache
from portal.forms import PortalForm
from portal.widgets import PlainSelect
from projects.catalogue import CatalogueFilter, Sort
from projects.models import FundingProgramme, Region

# The filters that pick a row of a vocabulary by its slug, with the label of "no choice".
VOCABULARY_FIELDS = {
    "gewerk": _("Alle Gewerke"),
    "thema": _("Alle Themen"),
    "foerderprogramm": _("Alle Förderprogramme"),
}


def vocabulary() -> dict[str, dict[str, object]]:
    """Trades, topics and funding programmes by slug, in their order: a shared read
    (portal/readcache.py), since every catalogue page shows all three selects."""

    def build():
        return {
            "gewerk": {trade.slug: trade for trade in Trade.objects.all()},
            "thema": {topic.slug: topic for topic in Topic.objects.all()},
            "foerderprogramm": {programme.slug: programme for programme in FundingProgramme.objects.all()},
        }

    return readcache.shared_read("catalogue_vocabulary", build=build)


class CatalogueFilterForm(PortalForm):
    q = forms.CharField(
        label=_("Suche"),
        max_length=limits.LINE,
        required=False,
        help_text=_("Titel, Kurzfassung und Beschreibung, z. B. „Ausbildung Tischlerei“."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    gewerk = forms.ChoiceField(label=_("Gewerk"), required=False, widget=PlainSelect)
    thema = forms.ChoiceField(label=_("Thema"), required=False, widget=PlainSelect)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Alle Regionen")), *Region.choices],
        required=False,
        widget=PlainSelect,
    )
    foerderprogramm = forms.ChoiceField(label=_("Förderprogramm"), required=False, widget=PlainSelect)
    organisationsart = forms.ChoiceField(
        label=_("Art der Organisation"),
        choices=[("", _("Alle Arten")), *Organisation.Kind.choices],
        required=False,
        widget=PlainSelect,
    )
    sortierung = forms.ChoiceField(
        label=_("Sortierung"), choices=Sort.choices, required=False, widget=PlainSelect
    )

    def __init__(self, data=None, **kwargs):
        # The select shows the order actually used: the best hits when searching, else the newest.
        searching = bool(data and data.get("q", "").strip())
        natural = Sort.RELEVANCE if searching else Sort.NEWEST
        if data is not None and data.get("sortierung") in (None, "", Sort.RELEVANCE):
            data = data.copy()
            data["sortierung"] = natural
        super().__init__(data, initial={"sortierung": natural}, **kwargs)
        self.vocabulary = vocabulary()
        for name, empty_label in VOCABULARY_FIELDS.items():
            self.fields[name].choices = [
                ("", empty_label),
                *((slug, entry.name) for slug, entry in self.vocabulary[name].items()),
            ]

    def _entry(self, name: str):
        return self.vocabulary[name].get(self.cleaned_data.get(name) or "")

    def clean_gewerk(self):
        return self._entry("gewerk")

    def clean_thema(self):
        return self._entry("thema")

    def clean_foerderprogramm(self):
        return self._entry("foerderprogramm")

    def invalid_fields(self) -> list[str]:
        """Labels of the filters whose value does not exist (an old bookmark, a typo in the address)."""
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]


def catalogue_filters(params) -> tuple[CatalogueFilterForm, CatalogueFilter]:
    """The filters from GET parameters. Unknown values are reported by the form and not applied;
    the valid ones still narrow the list."""
    form = CatalogueFilterForm(params or None)
    if not form.is_bound:
        return form, CatalogueFilter()
    form.is_valid()
    data = form.cleaned_data
    return form, CatalogueFilter(
        trade=data.get("gewerk"),
        topic=data.get("thema"),
        region=data.get("region") or "",
        funding_programme=data.get("foerderprogramm"),
        organisation_kind=data.get("organisationsart") or "",
        query=data.get("q") or "",
        sort=Sort(data["sortierung"]) if data.get("sortierung") else None,
    )
