"""The addresses the layout repeats on every page (navigation, legal pages, vendored assets),
resolved once per process instead of a dozen `{% url %}` and `{% static %}` calls per request.

The portal's URLs do not depend on the language (no i18n_patterns), so one table serves every
request; it is rebuilt when a test changes the URL configuration or the static files' settings.
"""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse

_URL_NAMES = {
    "home": "home",
    "overview": "overview",
    "search": "search",
    "information": "information:list",
    "spaces": "groups:space_list",
    "meetings": "meetings:list",
    "projects": "projects:list",
    "questions": "questions:list",
    "notifications": "notifications:list",
    "notifications_badge": "notifications:unread_badge",
    "account": "account_email",
    "admin": "admin:index",
    "login": "account_login",
    "logout": "account_logout",
    "signup": "account_signup",
    "set_language": "set_language",
}
_LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit")
_ASSETS = {
    "bootstrap_css": "vendor/bootstrap-5.3.9/bootstrap.min.css",
    "bootstrap_js": "vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
    "htmx_js": "vendor/htmx-2.0.11/htmx.min.js",
    "writing_js": "js/writing.js",
    "portal_css": "css/portal.css",
    "favicon": "img/favicon.svg",
}


@cache
def links() -> dict[str, str]:
    table = {key: reverse(name) for key, name in _URL_NAMES.items()}
    table.update({f"legal_{slug}": reverse("legal", args=[slug]) for slug in _LEGAL_PAGES})
    table.update({key: static(path) for key, path in _ASSETS.items()})
    return table


@receiver(setting_changed)
def _forget(*, setting, **_arguments) -> None:
    if setting in {"ROOT_URLCONF", "STATIC_URL", "STORAGES", "FORCE_SCRIPT_NAME"}:
        links.cache_clear()
