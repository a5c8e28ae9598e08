"""Request-wide rules: the interface language, two-factor for staff, no caching of private pages, and
a page instead of an error when a statement ran out of time."""

import logging

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from portal.db import is_timeout

logger = logging.getLogger(__name__)


def _supported_language(code: str | None) -> str | None:
    return code if code in dict(settings.LANGUAGES) else None


class LanguageMiddleware:
    """German unless the visitor chose otherwise.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored:
    the portal speaks German first and offers English as an explicit choice,
    remembered in a cookie and, for signed-in people, on the account (so it
    follows them to a new browser). The cookie is the choice made on this
    browser and wins. Runs after AuthenticationMiddleware to see the account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = (
            _supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or (request.user.is_authenticated and _supported_language(request.user.language))
            or settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class StaffTwoFactorMiddleware:
    """Staff accounts must set up TOTP before they can use anything but the account pages."""

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/rechtliches/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.exempt_prefixes)
            and not _has_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PrivatePagesNoStoreMiddleware:
    """Pages rendered for a signed-in person must not be kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private, max-age=0"
        return response


class QueryTimeoutMiddleware:
    """A statement cancelled by a statement timeout (portal/db.py) answers 503 with a page that asks to
    narrow the search, in the portal's layout, instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_timeout(exception):
            return None
        logger.warning("Statement timeout", extra={"path": request.path})
        response = render(request, "query_timeout.html", status=503)
        response["Retry-After"] = "30"
        return response
