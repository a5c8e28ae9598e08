"""Forms of the minutes: they only validate; meetings.minutes does the change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItem, AgendaItem
from portal import limits
from portal.forms import PortalForm


class IntroductionForm(PortalForm):
    introduction = forms.CharField(
        label=_("Einleitung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.DOCUMENT,
        help_text=_("Markdown"),
    )


class DiscussionForm(PortalForm):
    discussion = forms.CharField(
        label=_("Diskussion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.DOCUMENT,
        help_text=_("Markdown"),
    )


class DecisionForm(PortalForm):
    text = forms.CharField(
        label=_("Beschluss"), widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.POST
    )


class ActionItemForm(PortalForm):
    title = forms.CharField(label=_("Was"), max_length=limits.LINE)
    agenda_item = forms.ModelChoiceField(
        label=_("Zu Tagesordnungspunkt"), queryset=AgendaItem.objects.none(), required=False
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("Wer"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_assignees = forms.CharField(
        label=_("Weitere Verantwortliche"),
        max_length=limits.LINE,
        required=False,
        help_text=_("Namen von Gästen ohne Konto, durch Komma getrennt."),
    )
    due_date = forms.DateField(
        label=_("Bis wann"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")
        self.fields["assignees"].queryset = people


class StatusForm(PortalForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
