"""What every API endpoint gets around it: only GET and HEAD, a rate limit per client address and per
token, and a conditional answer (ETag from the body, Last-Modified where the endpoint set it, 304).

The limits are fixed windows of a minute counted in the shared cache (Redis in production), with
the client address as allauth's own limits read it (TRUSTED_PROXY_COUNT honoured, IPv6 cut to its
/64). Each request counts for its address, and a request with a token also for the token (by the
hash of what was presented, so an invented token is limited too).
"""

import hashlib
import logging
import time

from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext as _

from portal import readcache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
READ_METHODS = ("GET", "HEAD")


def _count(name: str, identity: str) -> int:
    """This window's requests of `identity`, this one included; 0 when the cache does not answer
    (the API then reads unlimited rather than failing: the web's statement timeouts still hold)."""
    window = int(time.time()) // WINDOW_SECONDS
    key = f"api:rate:{name}:{identity}:{window}"
    try:
        if cache.add(key, 1, WINDOW_SECONDS + 5):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS + 5)
            return 1
    except readcache.CACHE_ERRORS:
        logger.warning("The cache does not answer; the API's rate limit is not counted", exc_info=True)
        return 0


def _seconds_left() -> int:
    return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 once the address or the token has used up its minute; None while within the limits."""
    limits = [("address", get_ip(request), settings.API_REQUESTS_PER_MINUTE_PER_ADDRESS)]
    header = request.headers.get("Authorization")
    if header:
        identity = hashlib.sha256(header.encode()).hexdigest()
        limits.append(("token", identity, settings.API_REQUESTS_PER_MINUTE_PER_TOKEN))
    for name, identity, limit in limits:
        if _count(name, identity) > limit:
            response = JsonResponse(
                {
                    "detail": _("Zu viele Anfragen. Bitte warten Sie %(seconds)d Sekunden.")
                    % {"seconds": _seconds_left()}
                },
                status=429,
            )
            response["Retry-After"] = str(_seconds_left())
            return response
    return None


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag from the body; 304 for a matching If-None-Match (or If-Modified-Since without one)."""
    patch_vary_headers(response, ["Authorization", "Cookie"])
    personal = getattr(request, "auth", None) is not None and request.auth.is_authenticated
    patch_cache_control(response, no_cache=True, **({"private": True} if personal else {"public": True}))
    if response.status_code != 200:
        return response
    response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def read_only(request: HttpRequest) -> HttpResponse | None:
    if request.method in READ_METHODS:
        return None
    response = JsonResponse({"detail": _("Diese Schnittstelle liest nur; sie nimmt nur GET an.")}, status=405)
    response["Allow"] = ", ".join(READ_METHODS)
    return response


def guarded(view):
    """Wraps a view of the API (defined here, so the permission matrix counts it as the portal's)."""

    def api_endpoint(request, *args, **kwargs):
        refusal = read_only(request) or rate_limited(request)
        if refusal is not None:
            return refusal
        head = request.method == "HEAD"
        if head:
            # ninja routes GET only; HEAD is the same answer without its body.
            request.method = "GET"
        try:
            response = conditional(request, view(request, *args, **kwargs))
        finally:
            # Also when the view raises (a 404): the error page must know it answers a HEAD.
            if head:
                request.method = "HEAD"
        if head:
            response.content = b""
        return response

    # Nothing here takes a POST (read_only answers 405); the CSRF check would answer 403 before it.
    api_endpoint.csrf_exempt = True
    return api_endpoint
