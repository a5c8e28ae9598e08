"""The site header (navigation, person menu, unread count, language switch), rendered once per
process for each state a header can be in and completed for each request.

Rendering the header cost about 2 ms of every page. Its markup depends on little: whether the
reader is signed in, whether they are staff, the language and the section of the portal they are
in (`HeaderState`); the template sees nothing but these, so a kept rendering cannot carry
anything else. What is personal is a placeholder (portal/readcache.py: `put_back`), filled in
per request: the reader's name, their unread count, their CSRF token and the address the
language switch returns to. Kept per process (nothing in it depends on the database), and
forgotten when a setting or, under the development server, a file changes.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from groups import access
from portal import chrome, readcache
from portal.notifications.selectors import unread_count

NAME_PLACEHOLDER = "\x00person-name\x00"
NEXT_PLACEHOLDER = "\x00next-path\x00"
BADGE_PLACEHOLDER = "\x00unread-badge\x00"
COUNT_PLACEHOLDER = "\x00unread-count\x00"

# The navigation item marked as the current page: by the view's name for these...
_SECTION_VIEWS = frozenset({"home", "overview"})
# ...and by the app otherwise.
_SECTION_APPS = frozenset({"information", "groups", "meetings", "projects", "questions"})


@dataclass(frozen=True)
class HeaderState:
    signed_in: bool
    runs_the_site: bool
    language: str
    section: str


def state_of(request) -> HeaderState:
    user = request.user
    return HeaderState(
        signed_in=user.is_authenticated,
        runs_the_site=access.sees_everything(user),
        language=translation.get_language(),
        section=_section(request.resolver_match),
    )


def _section(match) -> str:
    if match is None:
        return ""
    if match.url_name in _SECTION_VIEWS:
        return match.url_name
    return match.app_name if match.app_name in _SECTION_APPS else ""


def render(request) -> SafeString:
    state = state_of(request)
    values = {
        readcache.TOKEN_PLACEHOLDER: get_token(request),
        NEXT_PLACEHOLDER: escape(request.get_full_path()),
    }
    if state.signed_in:
        user = request.user
        values[NAME_PLACEHOLDER] = escape(user.name or user.email)
        count = unread_count(user=user)
        badge = _badge(state.language, unread=bool(count))
        values[BADGE_PLACEHOLDER] = badge.replace(COUNT_PLACEHOLDER, str(count))
    return mark_safe(readcache.put_back(_header(state), values))  # noqa: S308 - our template, escaped values


@lru_cache(maxsize=256)
def _header(state: HeaderState) -> str:
    with translation.override(state.language):
        return get_template("components/header.html").render(
            {
                "signed_in": state.signed_in,
                "is_staff": state.runs_the_site,
                "section": state.section,
                "chrome": chrome.links(),
                "LANGUAGE_CHOICES": settings.LANGUAGES,
                "csrf_token": readcache.TOKEN_PLACEHOLDER,
                "person_name": NAME_PLACEHOLDER,
                "next_path": NEXT_PLACEHOLDER,
                "unread_badge": mark_safe(BADGE_PLACEHOLDER),  # noqa: S308 - a marker
            }
        )


@lru_cache(maxsize=16)
def _badge(language: str, *, unread: bool) -> str:
    with translation.override(language):
        return get_template("notifications/_badge.html").render(
            {"chrome": chrome.links(), "unread_count": COUNT_PLACEHOLDER if unread else 0}
        )


def forget() -> None:
    _header.cache_clear()
    _badge.cache_clear()


@receiver(setting_changed)
def _forget_after_setting_changed(**_arguments) -> None:
    forget()


@receiver(file_changed)
def _forget_after_file_changed(**_arguments) -> None:
    # Returning nothing leaves the development server's own handling (a restart, or reloading the
    # templates) as it was.
    forget()
