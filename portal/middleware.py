"""Request-wide rules: the interface language, two-factor for staff, no caching of private pages,
the sessions' last activity."""

import time

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


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


class SessionActivityMiddleware:
    """Records a signed-in session's activity (allauth.usersessions) at most every
    SESSION_ACTIVITY_INTERVAL seconds, instead of allauth's write on every request.

    allauth's UserSessionsMiddleware opens a transaction, reads and updates the
    session's row on each request. Here the session itself (read anyway to
    authenticate) remembers when the row was last updated; only after the
    interval is the row updated again (through allauth, so its signal for a
    changed address or browser still fires) and the session saved with the new
    time. No cache is involved, so this works while Redis is down. The sessions
    page shows "last seen" to within the interval.
    """

    session_field = "_activity_recorded_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.session_field, 0) >= settings.SESSION_ACTIVITY_INTERVAL:
                UserSession.objects.create_from_request(request)
                session[self.session_field] = now
        return self.get_response(request)
