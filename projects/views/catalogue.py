"""The showcase catalogue for everyone, and its exports for the Fachgruppe's coordinators.

The list needs no account and shows accepted projects only. The exports answer
404 to anyone who does not coordinate the Fachgruppe (anonymous visitors are
sent to the login page, as everywhere in the portal).
"""

from contextlib import nullcontext

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from groups import access
from groups.spaces import fachgruppe
from portal import readcache
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.db import statement_timeout
from portal.pagination import query_without_page
from portal.paging import CappedPaginator
from portal.viewhelpers import anonymous_to_login
from projects import catalogue
from projects.forms_catalogue import catalogue_filters

PAGE_SIZE = 12


def project_list(request):
    filter_form, filters = catalogue_filters(request.GET)
    filter_query = query_without_page(request)
    invalid_filters = filter_form.invalid_fields() if filter_form.is_bound else []
    # htmx swaps just the results when a filter changes; without JavaScript the whole page reloads.
    # Going back to a page htmx no longer has in its history cache asks for the whole page.
    partial = bool(request.htmx and not request.htmx.history_restore_request)
    context = {
        "filters": filters,
        "filter_form": filter_form,
        "invalid_filters": invalid_filters,
        "filter_query": filter_query,
        "feed_query": _feed_query(request, invalid=filter_form.errors if filter_form.is_bound else {}),
        "is_coordinator": bool(access.coordinated_space_ids(request.user)),
        "can_export": catalogue.can_export(request.user),
        "partial": partial,
    }
    # The results read alike for everyone of the reader's standing (portal/readcache.py): the
    # address says everything else they depend on.
    results = readcache.shared_read(
        "catalogue_results",
        get_language(),
        partial,
        readcache.digest(filter_query, request.GET.get("seite", "")),
        user=request.user,
        build=lambda: _render_results(request, filters, context),
    )
    if partial:
        response = HttpResponse(results)
    else:
        # Our own rendered template output, kept as text in the cache.
        results = mark_safe(results)  # noqa: S308
        response = render(
            request,
            "projects/list.html",
            {**context, "results": results, "filter_key": readcache.digest(filter_query)},
        )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _render_results(request, filters, context) -> str:
    searching = bool(filters.search_terms)
    cap = catalogue.SEARCH_CAP if searching else catalogue.LIST_CAP
    # A search's rows are read here, within its shorter statement timeout (the web's limit guards the rest).
    with statement_timeout(settings.SEARCH_STATEMENT_TIMEOUT) if searching else nullcontext():
        projects = catalogue.catalogue(request.user, filters)
        page = CappedPaginator(projects, PAGE_SIZE, cap=cap).get_page(request.GET.get("seite"))
        page.object_list = list(page.object_list)
    return render_to_string("projects/_results.html", {**context, "page": page}, request)


def _feed_query(request, *, invalid) -> str:
    """The filters for the feed links of a narrowed page: the valid ones only, without order and page,
    which mean nothing to a feed."""
    query = request.GET.copy()
    for name in ("seite", "sortierung", *invalid):
        query.pop(name, None)
    for name in [name for name, value in query.items() if not value]:
        query.pop(name)
    return query.urlencode()


def _export(request, *, extension: str, content_type: str, write) -> HttpResponse:
    if not catalogue.can_export(request.user):
        raise Http404
    _form, filters = catalogue_filters(request.GET)
    audit.record(
        Action.DATA_EXPORTED,
        actor=request.user,
        space=fachgruppe(),
        request=request,
        target_label=_("Modellprojekte (%(format)s)") % {"format": extension.upper()},
        after={"filters": request.GET.urlencode()} if request.GET else None,
    )
    response = HttpResponse(write(catalogue.export_rows(request.user, filters)), content_type=content_type)
    # Holds people's contact details: portal.middleware marks it no-store, as every signed-in page.
    response["Content-Disposition"] = f'attachment; filename="{catalogue.export_filename(extension)}"'
    return response


@anonymous_to_login
def export_csv(request):
    return _export(
        request, extension="csv", content_type="text/csv; charset=utf-8", write=catalogue.export_csv
    )


@anonymous_to_login
def export_json(request):
    return _export(
        request, extension="json", content_type="application/json; charset=utf-8", write=catalogue.export_json
    )
