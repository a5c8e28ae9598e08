"""Forms of questions, information pages and public subscriptions. They validate; services change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import InformationPage, Question, Topic, Trade, User
from portal import limits
from portal.forms import PortalForm, PortalModelForm
from portal.legal import privacy_note
from portal.once import SubmitOnceForm
from portal.writing import MARKDOWN_HELP, MarkdownTextarea

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


class QuestionForm(SubmitOnceForm):
    title = forms.CharField(
        label=_("Ihre Frage in einem Satz"),
        max_length=limits.LINE,
        help_text=_("Zum Beispiel: Wie gewinnen Bäckereien Auszubildende aus anderen Berufsfeldern?"),
    )
    body = forms.CharField(
        label=_("Hintergrund und Einzelheiten"),
        help_text=MARKDOWN_HELP,
        widget=MarkdownTextarea(attrs={"rows": 8}),
        max_length=limits.POST,
    )
    working_group = forms.CharField(
        label=_("Für wen fragen Sie?"),
        help_text=_("Ihre Arbeitsgruppe oder Organisation, z. B. „AG Transfer“."),
        max_length=limits.LINE,
        required=False,
    )
    trades = _trades_field()
    topics = _topics_field()


class QuestionFilterForm(PortalForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *Question.Status.choices], required=False
    )


class AcceptForm(PortalForm):
    assignee = forms.ModelChoiceField(label=_("Zuständig"), queryset=User.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="accept", **kwargs)
        self.fields["assignee"].queryset = candidates


class DeclineForm(PortalForm):
    reason = forms.CharField(
        label=_("Begründung"),
        help_text=_("Die fragende Person sieht die Begründung."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.MESSAGE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)


class MergeForm(PortalForm):
    into = forms.ModelChoiceField(label=_("Zusammenführen mit"), queryset=Question.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="merge", **kwargs)
        self.fields["into"].queryset = candidates


class InformationPageForm(PortalModelForm):
    class Meta:
        model = InformationPage
        fields = ["title", "summary", "body", "trades", "topics"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": MarkdownTextarea(attrs={"rows": 14}),
            "trades": CHECKBOXES,
            "topics": CHECKBOXES,
        }
        help_texts = {"body": MARKDOWN_HELP}

    text_limits = {"body": limits.DOCUMENT}


class InformationFilterForm(PortalForm):
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


class SubscriptionForm(PortalForm):
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    trades = _trades_field(_("Ohne Auswahl erhalten Sie Informationen zu allen Gewerken."))
    topics = _topics_field(_("Ohne Auswahl erhalten Sie Informationen zu allen Themen."))
    consent = forms.BooleanField(
        label=_(
            "Ich möchte per E-Mail über neue Informationen der Fachgruppe Handwerk benachrichtigt werden. "
            "Die Einwilligung kann ich jederzeit über den Link in jeder E-Mail widerrufen."
        ),
        help_text=privacy_note(),
        error_messages={
            "required": _("Bitte stimmen Sie zu, damit wir Ihnen Neues per E-Mail schicken dürfen.")
        },
    )
