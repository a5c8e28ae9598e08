"""Views of the portal's shared pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.defaults import bad_request

from portal import legal, limits, writing
from portal import overview as personal_overview
from portal import search as portal_search
from portal import status as portal_status
from portal.db import statement_timeout
from portal.health import run_checks
from portal.markdown import render_markdown
from portal.pagination import Page, page_number, query_without_page
from portal.selectors import home_page_context


def page_not_found(request, exception):
    """The portal's 404: the page for people, JSON under /api/ (where clients parse the answer)."""
    if request.path_info.startswith("/api/"):
        # The same answer as the API's own 404 (api.endpoints), for addresses it has no route for.
        return JsonResponse({"detail": _("Nicht gefunden.")}, status=404)
    return defaults.page_not_found(request, exception)


def home(request):
    return render(request, "portal/home.html", home_page_context(user=request.user))


@login_required
@require_safe
def overview(request):
    """The overview ("Mein Überblick"): where every signed-in person lands (portal.adapters)."""
    user = request.user
    visit = personal_overview.visit_now(user=user)
    # Read only when the page's kept fragment (keyed by the visit) is not there already.
    overview = SimpleLazyObject(lambda: personal_overview.overview(user=user, visit=visit))
    return render(request, "portal/overview.html", {"overview": overview, "visit": visit})


@require_safe
def search(request):
    """The portal-wide search ("Suche"): one page of hits with facets by kind and home space."""
    query = request.GET.get("q", "")
    kind, space = request.GET.get("art", ""), request.GET.get("raum", "")
    number = page_number(request)
    result, error = None, ""
    if query.strip() and len(portal_search.cleaned(query)) < portal_search.MIN_QUERY_LENGTH:
        error = _("Bitte geben Sie mindestens zwei Zeichen ein.")
    elif query.strip():
        with statement_timeout(settings.SEARCH_STATEMENT_TIMEOUT):
            result = portal_search.search(
                user=request.user, query=query, kind=kind, space_slug=space, number=number
            )
        if number > 1 and not result.hits:
            raise Http404
    elif number > 1:
        raise Http404
    context = {"query": query, "error": error, "result": result}
    if result is not None:
        context["page"] = Page(
            rows=result.hits,
            number=number,
            has_next=number < result.num_pages,
            count=result.total,
            page_size=result.page_size,
            query=query_without_page(request),
        )
        context["kind_links"] = _facet_links(request, "art", result.kinds)
        context["space_links"] = _facet_links(request, "raum", result.spaces)
    return render(request, "portal/search.html", context)


def _facet_links(request, parameter: str, facets) -> list[tuple[object, str]]:
    """Each facet with the address that selects it (or, when selected, lets it go); always page 1."""
    links = []
    for facet in facets:
        query = request.GET.copy()
        query.pop("seite", None)
        if facet.selected:
            query.pop(parameter, None)
        else:
            query[parameter] = facet.value
        links.append((facet, "?" + query.urlencode()))
    return links


@never_cache
@require_safe
def healthz(request):
    """For load balancers, open to anyone: the status and the names of failing checks, nothing
    about the services behind them (no timings, no error texts; those go to the log)."""
    failing = run_checks()
    if failing:
        return JsonResponse({"status": "error", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


def legal_page(request, slug: str):
    page = legal.PAGES.get(slug)
    if page is None:
        raise Http404
    return render(request, "portal/legal.html", {"page": page, "content": legal.legal_page_html(slug)})


@require_POST
def set_language(request):
    """Django's language switch, limited to the portal's languages, that also remembers the
    choice on the signed-in person's account: it follows them to other browsers and decides
    the language of their e-mails.
    """
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        return bad_request(request, exception=None)
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return i18n.set_language(request)


def status(request):
    """Readiness for monitoring (portal/status.py); 404 for whoever may not read it."""
    if not portal_status.may_read_status(request):
        raise Http404
    result = portal_status.portal_status()
    response = JsonResponse(
        {"status": "ok" if result.healthy else "error", "checks": result.checks},
        status=200 if result.healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


def status_metrics(request):
    if not portal_status.may_read_status(request):
        raise Http404
    result = portal_status.portal_status()
    response = HttpResponse(
        portal_status.prometheus_text(result), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def markdown_preview(request):
    """The preview under a Markdown field (htmx): the text as a save would store it, saving nothing.

    The button names the field (`writing.PREVIEW_FIELD`), whose text comes along; anything longer
    than the longest Markdown field of the portal is cut there, as no form would accept it.
    """
    name = request.POST.get(writing.PREVIEW_FIELD, "")
    text = request.POST.get(name, "")[: limits.DOCUMENT] if name else ""
    return render(request, "components/markdown_preview.html", {"html": render_markdown(text)})
