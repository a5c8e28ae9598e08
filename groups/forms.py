"""Forms of the groups app. They validate input; the services do the change."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from groups.models import Membership, Organisation, Profile, Space
from groups.services import DOCUMENT_MAX_BYTES
from portal import limits
from portal.forms import PortalForm, PortalModelForm
from portal.once import SubmitOnceForm
from portal.uploads import DOCUMENT_KINDS, validate_upload
from portal.writing import MARKDOWN_HELP, MENTION_HELP, MarkdownTextarea

DOCUMENT_HELP = _("PDF, Word (DOCX), Excel (XLSX) oder OpenDocument (ODT), höchstens 20 MB.")


class JoinRequestForm(PortalForm):
    message = forms.CharField(
        label=_("Ihre Nachricht an die Koordination"),
        help_text=_("Worin beraten Sie Handwerksbetriebe, was möchten Sie beitragen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.MESSAGE,
        required=False,
    )


class DecisionForm(PortalForm):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[(APPROVE, _("Aufnehmen")), (DECLINE, _("Ablehnen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begründung"),
        help_text=_("Bei einer Ablehnung erforderlich; die anfragende Person sieht sie."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.MESSAGE,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Bitte begründen Sie die Ablehnung."))
        return cleaned


class InvitationForm(PortalForm):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    message = forms.CharField(
        label=_("Persönliche Nachricht"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.MESSAGE,
        required=False,
    )


class RoleForm(PortalForm):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class ThreadForm(SubmitOnceForm):
    title = forms.CharField(label=_("Titel"), max_length=limits.LINE)
    body = forms.CharField(
        label=_("Beitrag"),
        help_text=format_lazy("{} {}", MARKDOWN_HELP, MENTION_HELP),
        widget=MarkdownTextarea(attrs={"rows": 8}, mentions=True),
        max_length=limits.POST,
    )


class PostForm(PortalForm):
    body = forms.CharField(
        label=_("Ihre Antwort"),
        help_text=MARKDOWN_HELP,
        widget=MarkdownTextarea(attrs={"rows": 6}),
        max_length=limits.POST,
    )


class ReplyForm(SubmitOnceForm, PostForm):
    """A new reply, whose mentions notify (groups.notify); PostForm alone edits one."""

    body = forms.CharField(
        label=_("Ihre Antwort"),
        help_text=format_lazy("{} {}", MARKDOWN_HELP, MENTION_HELP),
        widget=MarkdownTextarea(attrs={"rows": 6}, mentions=True),
        max_length=limits.POST,
    )


class MoveThreadForm(PortalForm):
    to_space = forms.ModelChoiceField(
        label=_("Verschieben nach"), queryset=Space.objects.none(), empty_label=None
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_space"].queryset = spaces


def _validated_document(upload):
    validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    return upload


class DocumentForm(SubmitOnceForm):
    title = forms.CharField(label=_("Titel"), max_length=limits.LINE)
    description = forms.CharField(
        label=_("Beschreibung"),
        help_text=MARKDOWN_HELP,
        widget=MarkdownTextarea(attrs={"rows": 4}),
        max_length=limits.POST,
        required=False,
    )
    file = forms.FileField(label=_("Datei"), help_text=DOCUMENT_HELP)

    def clean_file(self):
        return _validated_document(self.cleaned_data["file"])


class DocumentVersionForm(PortalForm):
    file = forms.FileField(label=_("Neue Fassung"), help_text=DOCUMENT_HELP)
    note = forms.CharField(label=_("Was ist neu?"), max_length=limits.LINE, required=False)

    def clean_file(self):
        return _validated_document(self.cleaned_data["file"])


class CommentForm(SubmitOnceForm):
    body = forms.CharField(
        label=_("Kommentar"),
        help_text=MARKDOWN_HELP,
        widget=MarkdownTextarea(attrs={"rows": 4}),
        max_length=limits.POST,
    )


class ProfileForm(PortalModelForm):
    new_organisation = forms.CharField(
        label=_("Ihre Organisation fehlt in der Liste?"),
        max_length=200,
        required=False,
        help_text=_(
            "Tragen Sie ihren vollständigen Namen ein; sie wird dann angelegt und Ihrem Profil zugeordnet."
        ),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Art der Organisation"),
        choices=[("", _("Bitte wählen")), *Organisation.Kind.choices],
        required=False,
    )

    class Meta:
        model = Profile
        fields = [
            "salutation",
            "title",
            "organisation",
            "function",
            "advises_crafts",
            "trades",
            "topics",
            "phone",
            "show_email",
            "show_phone",
        ]
        widgets = {"trades": forms.CheckboxSelectMultiple, "topics": forms.CheckboxSelectMultiple}

    field_order = ["salutation", "title", "organisation", "new_organisation", "new_organisation_kind"]

    def __init__(self, *args, signed_up_as: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # What was typed at sign-up: chosen when the list has it, otherwise offered to be added.
        if not self.is_bound and self.instance.organisation_id is None and signed_up_as.strip():
            known = Organisation.objects.filter(name__iexact=signed_up_as.strip()).first()
            if known is not None:
                self.initial["organisation"] = known.pk
            else:
                self.initial["new_organisation"] = signed_up_as.strip()

    def clean(self):
        cleaned = super().clean()
        name = " ".join(cleaned.get("new_organisation", "").split())
        if not name:
            return cleaned
        if cleaned.get("organisation"):
            self.add_error(
                "new_organisation",
                _("Wählen Sie eine Organisation aus der Liste oder tragen Sie eine neue ein, nicht beides."),
            )
        elif (
            not cleaned.get("new_organisation_kind")
            and not Organisation.objects.filter(name__iexact=name).exists()
        ):
            self.add_error("new_organisation_kind", _("Bitte wählen Sie, welcher Art Ihre Organisation ist."))
        return cleaned
