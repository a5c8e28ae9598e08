"""Forms of questions, information pages and public subscriptions. They validate; services change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.forms import MARKDOWN_HELP
from groups.models import InformationPage, Question, Topic, Trade, User

CHECKBOXES = forms.CheckboxSelectMultiple


def _trades_field(help_text=""):
    return forms.ModelMultipleChoiceField(
        label=_("Gewerke"),
        queryset=Trade.objects.all(),
        widget=CHECKBOXES,
        required=False,
        help_text=help_text,
    )


def _topics_field(help_text=""):
    return forms.ModelMultipleChoiceField(
        label=_("Themen"),
        queryset=Topic.objects.all(),
        widget=CHECKBOXES,
        required=False,
        help_text=help_text,
    )


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Ihre Frage in einem Satz"),
        max_length=200,
        help_text=_("Zum Beispiel: Wie gewinnen Bäckereien Auszubildende aus anderen Berufsfeldern?"),
    )
    body = forms.CharField(
        label=_("Hintergrund und Einzelheiten"),
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )
    working_group = forms.CharField(
        label=_("Für wen fragen Sie?"),
        help_text=_("Ihre Arbeitsgruppe oder Organisation, z. B. „AG Transfer“."),
        max_length=200,
        required=False,
    )
    trades = _trades_field()
    topics = _topics_field()


class QuestionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *Question.Status.choices], required=False
    )


class AcceptForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Zuständig"), queryset=User.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="accept", **kwargs)
        self.fields["assignee"].queryset = candidates


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        help_text=_("Die fragende Person sieht die Begründung."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Zusammenführen mit"), queryset=Question.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="merge", **kwargs)
        self.fields["into"].queryset = candidates


class InformationPageForm(forms.ModelForm):
    class Meta:
        model = InformationPage
        fields = ["title", "summary", "body", "trades", "topics"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "trades": CHECKBOXES,
            "topics": CHECKBOXES,
        }
        help_texts = {"body": MARKDOWN_HELP}


class InformationFilterForm(forms.Form):
    """The list's filters, as GET parameters with the vocabularies' slugs (bookmarkable, no JavaScript)."""

    gewerk = forms.ModelChoiceField(
        label=_("Gewerk"),
        queryset=Trade.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle"),
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle"),
    )


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    trades = _trades_field(_("Ohne Auswahl erhalten Sie Informationen zu allen Gewerken."))
    topics = _topics_field(_("Ohne Auswahl erhalten Sie Informationen zu allen Themen."))
    consent = forms.BooleanField(
        label=_(
            "Ich möchte per E-Mail über neue Informationen der Fachgruppe Handwerk benachrichtigt werden. "
            "Die Einwilligung kann ich jederzeit über den Link in jeder E-Mail widerrufen."
        )
    )
