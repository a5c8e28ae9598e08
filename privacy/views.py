"""The account pages "Meine Daten" and "Konto löschen", and the erasure on request."""

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from groups import access
from groups.models import User
from portal.secret_links import secret_link_page
from privacy import builds, erasure, selectors, services
from privacy.export import SECTION_COUNT
from privacy.forms import EraseForm


def _changes_something(request) -> bool:
    """A fresh sign-in is asked for where something changes: HEAD reads like GET."""
    return request.method not in ("GET", "HEAD")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@reauthentication_required(allow_get=True, enabled=_changes_something)
def export_page(request):
    """The state of the person's exports; its POST (after a fresh sign-in) starts a new one."""
    if request.method == "POST":
        limited = ratelimit.consume_or_429(request, action="data_export", user=request.user)
        if limited is not None:
            return limited
        try:
            services.export_request(person=request.user, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Wir stellen Ihre Daten zusammen. Sobald die Datei bereit ist, senden wir Ihnen den Link "
                    "per E-Mail; hier sehen Sie den Stand."
                ),
            )
        return redirect("privacy:export")
    exports = selectors.exports_of(request.user)
    context = {
        "exports": [(e, builds.download_token(e) if e.is_downloadable else None) for e in exports],
        "working": any(e.is_working for e in exports),
        "section_count": SECTION_COUNT,
    }
    template = "privacy/export.html#exports" if request.htmx else "privacy/export.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "HEAD"])
@secret_link_page
def export_download(request, token):
    """The ZIP behind a mailed link: for its owner only, signed in, within the week."""
    data_export = selectors.export_for_link(token=token, user=request.user)
    if data_export is None:
        raise Http404
    return FileResponse(
        data_export.file.open("rb"),
        as_attachment=True,
        filename=f"fachgruppe-handwerk-meine-daten-{timezone.localdate(data_export.finished_at):%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@reauthentication_required
def erase(request):
    """The confirmation of what erasing one's account does, and the erasure itself."""
    blockers = selectors.erasure_blockers(request.user)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            erasure.account_erase(person=request.user, actor=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            return redirect("privacy:erased")
    return render(request, "privacy/erase.html", {"form": form, "blockers": blockers, "person": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def erase_on_request(request, user_id: int):
    """A coordinator (of every space the person is in) or staff erases an account on its owner's request."""
    person = User.objects.filter(pk=user_id, erased_at__isnull=True).first()
    if person is None or not access.can_erase_account(request.user, person):
        raise Http404
    return _erase_on_request(request, person=person)


@reauthentication_required(allow_get=True, enabled=_changes_something)
def _erase_on_request(request, *, person: User):
    blockers = selectors.erasure_blockers(person)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not blockers and form.is_valid():
        name = str(person)
        try:
            erasure.account_erase(person=person, actor=request.user, request=request, on_request=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Das Konto von %(name)s ist gelöscht.") % {"name": name})
            return redirect("overview")
    return render(request, "privacy/erase.html", {"form": form, "blockers": blockers, "person": person})


def erased(request):
    return render(request, "privacy/erased.html")
