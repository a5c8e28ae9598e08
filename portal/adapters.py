"""How django-allauth creates accounts and sends its mails in this portal."""

from allauth.account.adapter import DefaultAccountAdapter
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
        # Account mails go out in the language the person uses on the portal.
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
