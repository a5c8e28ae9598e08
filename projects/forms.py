"""Forms of the submission (one per section), the uploads, the review and the decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from groups.models import Topic, Trade
from portal import limits
from portal.forms import PortalForm, PortalModelForm
from portal.once import SubmitOnceForm
from portal.uploads import validate_upload
from portal.writing import MarkdownTextarea
from projects import images
from projects.models import Decision, Project, Review
from projects.models.projects import SUMMARY_MAX
from projects.services import ATTACHMENT_KINDS, ATTACHMENT_MAX_BYTES

MAX_LINKS = 10


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class BasicsForm(PortalModelForm):
    """Section "Grunddaten". A draft needs only a title; the rest is checked when it is submitted."""

    class Meta:
        model = Project
        fields = ["title", "summary", "organisation", "funding_programme", "region", "starts_on", "ends_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "starts_on": _DateInput(),
            "ends_on": _DateInput(),
        }
        help_texts = {
            "summary": _("Zwei bis drei Sätze für den Katalog und den Feed."),
            "ends_on": _("Leer lassen, solange das Projekt läuft."),
        }

    text_limits = {"summary": SUMMARY_MAX}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return cleaned


class ProjectCreateForm(BasicsForm, SubmitOnceForm):
    """The first section of a new project, sent once however often the button is pressed."""


class ContentForm(PortalModelForm):
    """Section "Inhalt": the description and the vocabularies."""

    class Meta:
        model = Project
        fields = ["description", "trades", "topics"]
        widgets = {
            "description": MarkdownTextarea(attrs={"rows": 14}),
            "trades": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    text_limits = {"description": limits.DOCUMENT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trades"].queryset = Trade.objects.all()
        self.fields["topics"].queryset = Topic.objects.all()


class LinksField(forms.CharField):
    """Web addresses, one per line; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Höchstens %(count)s Links, bitte."), params={"count": MAX_LINKS})
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                check(line)
            except ValidationError:
                raise ValidationError(
                    _("„%(line)s“ ist keine vollständige Webadresse (mit https://)."), params={"line": line}
                ) from None
        return lines


class ContactForm(PortalModelForm):
    """Section "Kontakt und Links"."""

    links = LinksField(
        label=_("Links"),
        required=False,
        max_length=MAX_LINKS * limits.LINE,
        help_text=_("Webadressen zum Projekt, eine pro Zeile."),
    )

    class Meta:
        model = Project
        fields = ["contact_name", "contact_email", "contact_phone", "links"]
        help_texts = {
            "contact_email": _("Steht nach der Annahme öffentlich auf der Projektseite."),
            "contact_phone": _("Freiwillig; steht nach der Annahme öffentlich auf der Projektseite."),
        }


SECTIONS = {
    "grunddaten": (_("Grunddaten"), BasicsForm),
    "inhalt": (_("Inhalt"), ContentForm),
    "kontakt": (_("Kontakt und Links"), ContactForm),
}
MEDIA_SECTION = "medien"


class ImageForm(PortalForm):
    image = forms.FileField(
        label=_("Bild"),
        help_text=_(
            "JPEG, PNG oder WebP, höchstens 10 MB. "
            "Wir verkleinern es und entfernen Metadaten wie den Aufnahmeort."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("Bildbeschreibung"),
        max_length=limits.LINE,
        help_text=_("Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können."),
    )
    caption = forms.CharField(label=_("Bildunterschrift"), max_length=limits.LINE, required=False)

    def clean(self):
        cleaned = super().clean()
        if "image" in cleaned:
            # Checked and cleaned once here; the service stores what this produced.
            try:
                cleaned["processed"] = images.process(cleaned["image"])
            except ValidationError as error:
                self.add_error("image", error)
        return cleaned


class AttachmentForm(PortalForm):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, Word, Excel, PowerPoint oder OpenDocument, höchstens 20 MB."),
    )
    title = forms.CharField(label=_("Titel"), max_length=limits.LINE, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
        return upload


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(PortalModelForm):
    transferability = forms.TypedChoiceField(
        label=_("Übertragbarkeit"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = nur hier denkbar, 5 = von anderen Regionen und Gewerken direkt übernehmbar."),
    )
    added_value = forms.TypedChoiceField(
        label=_("Mehrwert für das Handwerk"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = kaum Nutzen für Betriebe, 5 = großer, belegter Nutzen für Handwerksbetriebe."),
    )

    class Meta:
        model = Review
        fields = ["transferability", "transferability_reason", "added_value", "added_value_reason", "note"]
        widgets = {
            "transferability_reason": forms.Textarea(attrs={"rows": 3}),
            "added_value_reason": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    text_limits = {
        "transferability_reason": limits.MESSAGE,
        "added_value_reason": limits.MESSAGE,
        "note": limits.MESSAGE,
    }


class DecisionForm(PortalModelForm):
    outcome = forms.ChoiceField(
        label=_("Entscheidung"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = Decision
        fields = ["outcome", "reason", "changes_requested", "share_reviews"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "changes_requested": forms.Textarea(attrs={"rows": 3}),
        }

    text_limits = {"reason": limits.MESSAGE, "changes_requested": limits.POST}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == Decision.Outcome.RETURNED
            and not cleaned.get("changes_requested", "").strip()
        ):
            self.add_error("changes_requested", _("Bitte schreiben Sie, was überarbeitet werden soll."))
        return cleaned
