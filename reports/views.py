"""The coordinator dashboard and the activity report: thin views over reports.selectors and reports.annual.

Only the space's coordinators and staff reach them (groups.access.can_coordinate); for everyone
else the space's dashboard does not exist (404; anonymous visitors get the login page).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from groups import access
from groups.models import Space
from reports import annual, pdf, selectors, services
from reports.forms import period_form
from reports.tables import as_csv

PDF_RETRY_SECONDS = 5
NO_STORE = "no-store, private, max-age=0"


def _coordinated_space_or_404(request, slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is None or not access.can_coordinate(request.user, space):
        raise Http404
    return space


def coordination_only(view):
    """Resolves the space for its coordinators: a 404 for everyone else, the login page when signed out."""

    @wraps(view)
    def wrapped(request, slug: str, **kwargs):
        try:
            space = _coordinated_space_or_404(request, slug)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())
        return view(request, space, **kwargs)

    return wrapped


def _year_or_404(year: int) -> int:
    if year not in annual.valid_years():
        raise Http404
    return year


@coordination_only
@require_safe
def dashboard(request, space: Space):
    form = period_form(request.GET)
    sections = selectors.dashboard(space=space, period=form.period) if form.is_valid() else []
    years = list(reversed(annual.valid_years()))[:5]
    return render(
        request,
        "reports/dashboard.html",
        {
            "space": space,
            "form": form,
            "sections": sections,
            "query": request.GET.urlencode(),
            "years": years,
        },
        status=200 if form.is_valid() else 400,
    )


@coordination_only
@require_safe
def dashboard_csv(request, space: Space, table: str):
    form = period_form(request.GET)
    if not form.is_valid():
        return render(
            request, "reports/dashboard.html", {"space": space, "form": form, "sections": []}, status=400
        )
    found = selectors.table_for_export(space=space, period=form.period, slug=table)
    if found is None:
        raise Http404
    period = form.period
    response = HttpResponse(as_csv(found), content_type="text/csv; charset=utf-8")
    name = f"{space.slug}-{table}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordination_only
@require_safe
def activity_report(request, space: Space, year: int):
    year = _year_or_404(year)
    return render(
        request,
        "reports/activity_report.html",
        {
            "space": space,
            "report": annual.activity_report(space=space, year=year),
            "stored": selectors.stored_report(space=space, year=year, language=get_language()),
            "years": list(reversed(annual.valid_years()))[:5],
        },
    )


@coordination_only
@require_safe
def activity_report_pdf(request, space: Space, year: int):
    """The stored PDF; rendered here when none is stored yet or a newer one was asked for and no
    worker has made it (without a broker), unless someone renders it at this moment."""
    year = _year_or_404(year)
    language = get_language()
    stored = selectors.stored_report(space=space, year=year, language=language)
    if stored is None or stored.is_pending:
        stored = pdf.render_and_store(space=space, year=year, language=language) or stored
    if stored is None:
        response = render(
            request, "reports/activity_report_pending.html", {"space": space, "year": year}, status=503
        )
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        response["Cache-Control"] = NO_STORE
        return response
    response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="taetigkeitsbericht-{space.slug}-{year}.pdf"'
    response["Cache-Control"] = NO_STORE
    return response


@coordination_only
@require_POST
def activity_report_render(request, space: Space, year: int):
    year = _year_or_404(year)
    services.activity_report_request(space=space, year=year, by=request.user)
    messages.success(
        request, _("Der Bericht wird erstellt. Das PDF zeigt die neue Fassung in wenigen Augenblicken.")
    )
    return redirect("reports:activity_report", slug=space.slug, year=year)
