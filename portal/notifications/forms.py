"""The preferences form: a channel per kind of event, in general and, where wanted, per space."""

from django import forms
from django.utils.translation import gettext_lazy as _

from groups import access
from portal.forms import PortalForm
from portal.notifications import services
from portal.notifications.audience import default_channel
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Preference

AS_IN_GENERAL = ""
AS_BY_DEFAULT = ""


def _default_label(kind: Kind) -> str:
    own = default_channel(kind, from_inner_circle=False)
    around = default_channel(kind, from_inner_circle=True)
    if own == around:
        return _("Voreinstellung: %(channel)s") % {"channel": own.label}
    return _("Voreinstellung: %(channel)s, aus Räumen um Ihren Kreis: %(around)s") % {
        "channel": own.label,
        "around": around.label,
    }


class PreferencesForm(PortalForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.spaces = (
            list(access.visible_spaces(user).order_by("parent_id", "name")) if not user.is_staff else []
        )
        stored = {(p.kind, p.space_id): p.channel for p in Preference.objects.filter(user=user)}
        self.rows = []
        for kind in Kind:
            # Without a choice of their own people keep the defaults, which differ between
            # their own circle and the rings around it: saving the page unchanged keeps them.
            general = forms.ChoiceField(
                label=_("%(kind)s: allgemein") % {"kind": kind.label},
                choices=[(AS_BY_DEFAULT, _default_label(kind)), *Channel.choices],
                initial=stored.get((kind.value, None), AS_BY_DEFAULT),
                required=False,
            )
            self.fields[f"general_{kind.value}"] = general
            per_space = []
            for space in self.spaces:
                name = f"space_{space.pk}_{kind.value}"
                self.fields[name] = forms.ChoiceField(
                    label=_("%(kind)s in %(space)s") % {"kind": kind.label, "space": space.name},
                    choices=[(AS_IN_GENERAL, _("wie allgemein")), *Channel.choices],
                    initial=stored.get((kind.value, space.pk), AS_IN_GENERAL),
                    required=False,
                )
                per_space.append(self[name])
            self.rows.append({"kind": kind, "general": self[f"general_{kind.value}"], "per_space": per_space})

    def save(self) -> None:
        for kind in Kind:
            channel = self.cleaned_data.get(f"general_{kind.value}")
            if channel:
                services.preference_set(user=self.user, kind=kind, channel=channel)
            else:
                Preference.objects.filter(user=self.user, kind=kind, space__isnull=True).delete()
            for space in self.spaces:
                channel = self.cleaned_data.get(f"space_{space.pk}_{kind.value}")
                if channel:
                    services.preference_set(user=self.user, kind=kind, channel=channel, space=space)
                else:
                    Preference.objects.filter(user=self.user, kind=kind, space=space).delete()
