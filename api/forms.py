from django import forms
from django.utils.translation import gettext_lazy as _

from portal import limits
from portal.forms import PortalForm


class TokenForm(PortalForm):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=limits.LINE,
        help_text=_("Wofür Sie den Zugang nutzen, z. B. „Website der Handwerkskammer“."),
    )
