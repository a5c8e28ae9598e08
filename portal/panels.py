"""Panels: what one app shows on another app's page without that page's app importing it.

The app that owns a page names a place on it ("space-home", "project-shown", ...). An app with
something to show there registers a panel for the place in its AppConfig.ready(): a template and a
function `(request, obj) -> dict | None` that reads what the template needs (None: nothing to show).
The page's view asks `panels_for(place, request, obj)` and its template includes each panel's
template with `panel` set to that panel's context:

    {% for panel in panels %}{% include panel.template with panel=panel.context %}{% endfor %}

So the arrows run from the extending feature to the core: meetings show a space's next meetings
and a project's presentations, and neither groups nor projects imports meetings.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest, Any], dict | None]


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict


_PLACES: dict[str, list[Panel]] = {}


def register_panel(place: str, *, template: str, context: Callable[[HttpRequest, Any], dict | None]) -> None:
    """Adds a panel to `place`, after those registered before; the same one again changes nothing."""
    panel = Panel(template=template, context=context)
    panels = _PLACES.setdefault(place, [])
    if panel not in panels:
        panels.append(panel)


def panels_for(place: str, request: HttpRequest, obj) -> list[ShownPanel]:
    """The panels of `place` that have something to show about `obj` to the person asking, in order."""
    shown = []
    for panel in _PLACES.get(place, ()):
        context = panel.context(request, obj)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown
