"""View helpers that every app's views share: the login page for anonymous visitors, a service's refusal
shown on its form, and the confirmation page of every widen action.

They belong to the core (README, "Layout"), so a feature's views take them from here and never from
another feature's views.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from groups import widening


def anonymous_to_login(view):
    """Anonymous visitors get the login page where a signed-in person would get a 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Http404, PermissionDenied):
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapped


def form_error(form, error: ValidationError) -> None:
    """A service's refusal (a ValidationError) shown at the top of the form that asked for it."""
    for message in error.messages:
        form.add_error(None, message)


def widen_confirmation(request, *, item, preview: widening.WideningPreview, widen, done: str):
    """Every widen action's page: the preview, until a POST from it confirms; then `widen()` runs once."""
    if widening.is_confirmed(request):
        try:
            widen()
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, done)
        return redirect(item)
    return widen_confirmation_page(request, preview)


def widen_confirmation_page(request, preview: widening.WideningPreview):
    fields = {"confirm_field": widening.CONFIRM_FIELD, "confirm_value": widening.CONFIRM_VALUE}
    return render(request, "groups/widen_confirm.html", {"preview": preview, **fields})


def already_public(request, item):
    messages.error(request, _("Dieser Inhalt ist bereits öffentlich."))
    return redirect(item)
