from django import forms
from django.utils.translation import gettext_lazy as _

from portal import limits
from portal.audit.actions import Action
from portal.forms import PortalForm


class AuditFilterForm(PortalForm):
    raum = forms.ChoiceField(label=_("Raum"), required=False)
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=limits.LINE,
        help_text=_("Name oder E-Mail-Adresse, wer gehandelt hat oder wen es betrifft."),
    )
    art = forms.ChoiceField(label=_("Art"), choices=[("", _("Alle")), *Action.choices], required=False)

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raum"].choices = [("", _("Alle Räume")), *((space.slug, space.name) for space in spaces)]
