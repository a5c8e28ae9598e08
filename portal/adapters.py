"""How django-allauth creates accounts, counts failed sign-ins and sends its mails in this portal."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from portal.context_processors import SITE_NAME
from portal.notifications import outbox
from portal.salutation import salutation

# allauth's mail to an address without an account. The portal mails only its members, so it is
# rendered and written like any other (the request costs the same) and then dropped unsent.
UNKNOWN_ACCOUNT_TEMPLATE = "account/email/unknown_account"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Signed in, everyone lands on "Mein Überblick"; the public start page stays at "/"."""
        return reverse("overview")

    def get_signup_redirect_url(self, request):
        return reverse("overview")

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
        """Renders the mail here and leaves the sending to a worker (portal.notifications.outbox).

        Account mails go out in the language of the account's owner, not of
        whoever caused them: allauth passes no user for security notifications
        or the "account already exists" mail, so the owner is found by address.
        """
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", None) or translation.get_language()
        request = allauth_context.request
        context = {key: _on_site_url(value, request) for key, value in context.items()}
        with translation.override(language):
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "request": request,
                    "email": email,
                    **context,
                    # The portal's name and configured address, not the host the request came in on.
                    "current_site": SimpleNamespace(name=SITE_NAME, domain=_site_domain()),
                    "site_url": settings.SITE_URL,
                    "salutation": salutation(user, name="" if user is None else None),
                },
            )
        outbox.record(
            message=message, template=template_prefix, deliver=template_prefix != UNKNOWN_ACCOUNT_TEMPLATE
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins are counted per account *and client address* (allauth counts per account).

        Otherwise anyone could lock a known account out for everyone with five
        wrong passwords every five minutes; the per-address limit of
        ACCOUNT_RATE_LIMITS["login_failed"] still bounds what one client tries.
        """
        # get_ip is the address allauth's own per-address limits use (IPv6 cut to its /64 prefix).
        return f"{get_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"


def _site_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def _on_site_url(value, request):
    """A link allauth built on the request's host (activate_url, password_reset_url), on SITE_URL."""
    if not isinstance(value, str) or request is None:
        return value
    host = request.build_absolute_uri("/")
    if value.startswith(host):
        return settings.SITE_URL + "/" + value[len(host) :]
    return value
