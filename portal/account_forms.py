"""allauth's forms where the portal needs more than settings (kept apart from portal.forms, which
allauth imports while building its own forms)."""

from allauth.account import forms as allauth_forms
from django.contrib.auth import get_user_model


class SignupForm(allauth_forms.SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # A new account costs one password hash; an address that is taken gets the same, or the
            # answer's time would tell which addresses are registered.
            get_user_model()().set_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
