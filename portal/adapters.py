"""How django-allauth creates accounts and sends its mails in this portal."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.name = data["name"].strip()
        user.organisation_name = data["organisation_name"].strip()
        user.language = translation.get_language() or "de"
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        # Account mails go out in the language of the account's owner, not of
        # whoever caused them: allauth passes no user for security notifications
        # or the "account already exists" mail, so the owner is found by address.
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
