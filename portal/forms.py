"""The portal's form rules, shared by every app, and the sign-up fields.

Every form of the portal derives from PortalForm or PortalModelForm: each text field then has a
length limit (portal.limits), held by the server and stated next to the field, and refuses
control characters (single-line fields any line break, multi-line fields NUL and the like).
"""

import re

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.forms.utils import ErrorDict
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from portal import limits, writing

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# C0 controls except tab, line feed and carriage return.
_TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@deconstructible
class NoControlCharacters:
    """Refuses control characters; `multiline` allows tab, CR and LF."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = _TEXT_FORBIDDEN if self.multiline else _LINE_FORBIDDEN
        values = value if isinstance(value, list) else [value]
        if any(pattern.search(str(item)) for item in values):
            if self.multiline:
                message = _("Dieses Feld darf keine Steuerzeichen enthalten.")
            else:
                message = _("Dieses Feld darf keine Zeilenumbrüche oder Steuerzeichen enthalten.")
            raise ValidationError(message, code="control_characters")

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


class TextMaxLengthValidator(MaxLengthValidator):
    """Counts a line break sent as CR LF as one character, as the browser's maxlength does."""

    def clean(self, x) -> int:
        text = "\n".join(x) if isinstance(x, list) else x
        return len(text.replace("\r\n", "\n"))


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def limit_text(limit: int) -> str:
    return _gettext("Höchstens %(limit)s Zeichen.") % {"limit": number_format(limit, force_grouping=True)}


def harden_fields(fields: dict[str, forms.Field], *, text_limits: dict[str, int], owner: str) -> None:
    """Gives every text field its length limit and its control-character check, in place."""
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        multiline = is_multiline(field)
        if multiline:
            limit = text_limits.get(name) or field.max_length
            if limit is None:
                raise ImproperlyConfigured(
                    f"{owner}.{name}: a multi-line field needs a limit (portal.limits)."
                )
        else:
            ceiling = limits.EMAIL if isinstance(field, forms.EmailField) else limits.LINE
            limit = min(field.max_length or ceiling, ceiling)
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(TextMaxLengthValidator(limit) if multiline else MaxLengthValidator(limit))
        if not field.widget.is_hidden:
            # HTML allows maxlength only on inputs a person types into (as Django itself leaves it off).
            field.widget.attrs["maxlength"] = str(limit)
        check = NoControlCharacters(multiline=multiline)
        if check not in field.validators:
            # Our check names NUL too, in the portal's words.
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(check)
        if multiline and not field.widget.is_hidden:
            stated = limit_text(limit)
            field.help_text = f"{field.help_text} {stated}" if field.help_text else stated


class HardenedFieldsMixin:
    """Applies harden_fields to the form's own copy of its fields. `text_limits` names the limit of
    multi-line fields that a ModelForm takes from a TextField (which has no max_length)."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden_fields(self.fields, text_limits=self.text_limits, owner=type(self).__name__)
        self.preview_requested = writing.mark_preview(self)

    def full_clean(self):
        super().full_clean()
        if self.preview_requested:
            # A preview is not a submission: nothing is refused yet, and nothing is saved.
            self._errors = ErrorDict()
            self.cleaned_data = {}

    def is_valid(self) -> bool:
        return super().is_valid() and not self.preview_requested


class PortalForm(HardenedFieldsMixin, forms.Form):
    pass


class PortalModelForm(HardenedFieldsMixin, forms.ModelForm):
    pass


class SignupProfileForm(PortalForm):
    """The fields the portal asks for on sign-up, beyond e-mail and password."""

    name = forms.CharField(
        label=_("Vor- und Nachname"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Zum Beispiel Ihre Handwerkskammer, Innung oder Beratungsgesellschaft."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["name", "organisation_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        """Called by allauth after the user was saved; the adapter already stored the fields."""
