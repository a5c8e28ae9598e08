"""Views of the portal's shared pages."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import legal
from portal.health import run_checks
from portal.selectors import home_page_context


def home(request):
    return render(request, "portal/home.html", home_page_context(user=request.user))


@never_cache
@require_GET
def healthz(request):
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def legal_page(request, slug: str):
    page = legal.PAGES.get(slug)
    if page is None:
        raise Http404
    return render(request, "portal/legal.html", {"page": page, "content": legal.legal_page_html(slug)})
