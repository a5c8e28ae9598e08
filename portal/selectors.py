"""Named reads of the portal's shared pages."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from groups import selectors_information
from meetings import selectors as meetings
from projects import catalogue as projects

RINGS = [
    {
        "key": "public",
        "name": _("Öffentlichkeit"),
        "text": _(
            "Handwerksbetriebe und alle Interessierten lesen hier ohne Konto die Informationen "
            "der Fachgruppe und die vorbildlichen Modellprojekte."
        ),
    },
    {
        "key": "fachgruppe",
        "name": _("Fachgruppe Handwerk"),
        "text": _(
            "Offen für alle Partner der Offensive Mittelstand, die Handwerksbetriebe beraten: "
            "Sitzungen, Protokolle, Projekte und Austausch nach Beitrittsanfrage."
        ),
    },
    {
        "key": "inner",
        "name": _("Fachkräftezentren Handwerk"),
        "text": _(
            "Der interne Kreis der Beraterinnen und Berater von Handwerksorganisationen: "
            "vertrauliche Fragen, deren Ergebnisse nach außen getragen werden."
        ),
    },
]


def home_page_context(*, user) -> dict:
    """What the start page shows; read only when the page's shared fragment is not in the cache."""
    return {
        "rings": RINGS,
        "upcoming_meetings": SimpleLazyObject(lambda: meetings.upcoming_meetings(user=user, limit=3)),
        "showcased_projects": SimpleLazyObject(lambda: projects.showcased_projects(limit=3)),
        "latest_information": SimpleLazyObject(lambda: selectors_information.latest_published(limit=3)),
    }
