"""The dashboard's date range: two dates, validated, with the last twelve months when none is given."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm
from reports.periods import MAX_MONTHS, Period, default_period

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class PeriodForm(PortalForm):
    """A GET form: `von` and `bis` (both optional; missing ones come from the last twelve months)."""

    von = forms.DateField(label=_("Von"), required=False, widget=_DateInput())
    bis = forms.DateField(label=_("Bis"), required=False, widget=_DateInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default = default_period()
        first, last = data.get("von") or default.first, data.get("bis") or default.last
        for name, day in (("von", first), ("bis", last)):
            if not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Bitte wählen Sie ein Datum zwischen 2000 und 2099."))
        if self.errors:
            return data
        if last < first:
            raise ValidationError(_("Das Ende des Zeitraums liegt vor seinem Beginn."), code="reversed")
        if len(Period(first=first, last=last).months) > MAX_MONTHS:
            raise ValidationError(
                _("Bitte wählen Sie höchstens zehn Jahre (%(months)s Monate).") % {"months": MAX_MONTHS},
                code="too_long",
            )
        data["period"] = Period(first=first, last=last)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


def period_form(query) -> PeriodForm:
    """The form bound to the query string (always bound, so that an empty query means the default)."""
    return PeriodForm({name: query.get(name, "") for name in ("von", "bis")})
