from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm


class EraseForm(PortalForm):
    confirm = forms.BooleanField(
        label=_("Ja, ich habe gelesen, was geschieht, und möchte das Konto endgültig löschen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass das Konto gelöscht werden soll.")},
    )
