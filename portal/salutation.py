"""The salutation of every mail, from the person's profile, in the active language.

"Sehr geehrte Frau Dr. Albers," / "Sehr geehrter Herr Feldmann," / "Guten Tag Jonas Feldmann,"
(English: "Dear Ms Dr Albers," / "Dear Mr Feldmann," / "Hello Jonas Feldmann,"); without a
person (a subscriber, an invited address) "Guten Tag,".
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

FRAU = "frau"
HERR = "herr"


def salutation(user=None, *, name: str | None = None) -> str:
    """The first line of a mail to `user` (or to a bare `name`), ending with a comma."""
    name = (name if name is not None else getattr(user, "name", "") or "").strip()
    profile = _profile(user)
    form = getattr(profile, "salutation", "") or ""
    title = (getattr(profile, "title", "") or "").strip()
    surname = _surname(name, title)
    if form in (FRAU, HERR) and surname:
        if (get_language() or "de").startswith("en"):
            # British usage writes titles without a full stop: "Dr", "Prof".
            title = title.replace(".", "")
        full = f"{title} {surname}" if title else surname
        if form == FRAU:
            return _("Sehr geehrte Frau %(name)s,") % {"name": full}
        return _("Sehr geehrter Herr %(name)s,") % {"name": full}
    if name:
        return _("Guten Tag %(name)s,") % {"name": name}
    return _("Guten Tag,")


def _profile(user):
    if user is None or getattr(user, "pk", None) is None:
        return None
    try:
        return user.profile
    except Exception:  # noqa: BLE001 - no profile yet (RelatedObjectDoesNotExist) means neutral
        return None


def _surname(name: str, title: str) -> str:
    """The last word of the name, unless the name is only the title ("Dr. Albers" -> "Albers")."""
    words = [word for word in name.split() if word not in {title, *title.split()}]
    return words[-1] if words else ""
