from django import forms
from django.utils.translation import gettext_lazy as _


class SignupProfileForm(forms.Form):
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
