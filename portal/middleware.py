"""Request-wide rules: hostile input and methods refused, the body size, the interface language,
two-factor for staff and coordinators, no caching of private pages, the sessions' last activity,
browser policy headers, and a page instead of an error when a statement ran out of time."""

import logging
import re
import time

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.defaults import bad_request

from groups import access
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


class RequestBodyLimitMiddleware:
    """Answers 413 to a request that declares a body larger than the largest upload plus its form
    fields, before anything reads the body. Runs after LanguageMiddleware (so the page speaks the
    visitor's language) and before any view or CSRF check touches request.POST. Django reads no
    more than the declared CONTENT_LENGTH, so a body without one is read as empty."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            return render(
                request,
                "413.html",
                {"limit": settings.REQUEST_BODY_MAX_BYTES - settings.REQUEST_FORM_FIELDS_BYTES},
                status=413,
            )
        return self.get_response(request)


class TwoFactorMiddleware:
    """Staff and coordinators (of any space) must set up TOTP before they use anything but their account.

    They hold the keys to inner content, exports and the widening of audiences,
    so a stolen password alone must not open them. Until TOTP is set up every
    page, the public ones included, leads to the set-up; the account pages (MFA
    set-up, sign-out, password), the legal pages, the language switch and the
    health check stay reachable.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/rechtliches/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.exempt_prefixes)
            and must_set_up_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def must_set_up_totp(user) -> bool:
    """Staff and coordinators without TOTP: they reach nothing but their account (and no API token
    of theirs reads anything) until they set it up."""
    return access.coordinates_any_space(user) and not _has_totp(user)


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


# C0 control characters and DEL. Tab, line feed and carriage return are ordinary in a query
# value (a text area sent by GET); nowhere in a path.
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RequestHygieneMiddleware:
    """Refuses what no page of the portal can mean, before any view or query sees it.

    - Methods other than GET, HEAD and POST (TRACE, PUT, OPTIONS, inventions) answer 405:
      function views would otherwise answer them like GET.
    - A control character in the path or in a query parameter (name or value) answers the
      portal's 400 page: PostgreSQL refuses NUL in text, and no link of the portal carries one.

    Bad bytes in percent-encodings need nothing here: Django keeps them percent-encoded in the
    path (which no converter of the portal matches where it reaches the database) and replaces
    them with U+FFFD in query values. Runs after the language and the account are known, so the
    error page is rendered in the visitor's language.
    """

    allowed_methods = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.allowed_methods:
            return HttpResponseNotAllowed(self.allowed_methods)
        if _CONTROL_IN_PATH.search(request.path) or any(
            _CONTROL_IN_QUERY.search(key) or any(_CONTROL_IN_QUERY.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, exception=None)
        return self.get_response(request)


class BrowserPolicyHeadersMiddleware:
    """Headers Django has no setting for: browser features the portal never uses are switched off
    (Permissions-Policy), and its responses are not embeddable by other sites (Cross-Origin-Resource-Policy).
    """

    PERMISSIONS_POLICY = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "usb",
        )
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
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
