"""The catalogue's filters as GET parameters (bookmarkable, no JavaScript needed), shared by the list,
the feeds and the exports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation, Topic, Trade
from portal import limits
from portal.forms import PortalForm
from portal.widgets import PlainSelect
from projects.catalogue import CatalogueFilter, Sort
from projects.models import FundingProgramme, Region


class CatalogueFilterForm(PortalForm):
    q = forms.CharField(
        label=_("Suche"),
        max_length=limits.LINE,
        required=False,
        help_text=_("Titel, Kurzfassung und Beschreibung, z. B. „Ausbildung Tischlerei“."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    gewerk = forms.ModelChoiceField(
        label=_("Gewerk"),
        queryset=Trade.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle Gewerke"),
        widget=PlainSelect,
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle Themen"),
        widget=PlainSelect,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("Alle Regionen")), *Region.choices],
        required=False,
        widget=PlainSelect,
    )
    foerderprogramm = forms.ModelChoiceField(
        label=_("Förderprogramm"),
        queryset=FundingProgramme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle Förderprogramme"),
        widget=PlainSelect,
    )
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
