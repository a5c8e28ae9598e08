"""Pages opened by a secret link from a mail (unsubscribe, confirm, invitation).

Whoever holds the link sees the page: a forwarded mail, a shared computer, a proxy's cache,
the next site's Referer. So these pages name the address only masked, are never stored and
never hand their address on.
"""

from functools import wraps


def mask_email(address: str) -> str:
    """ "jana.schmidt@example.org" → "j***@example.org": enough for the owner to recognise it."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def secret_link_page(view):
    """`Cache-Control: no-store` and `Referrer-Policy: no-referrer` on every answer of the view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Cache-Control"] = "no-store, private, max-age=0"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped
