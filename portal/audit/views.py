"""The audit log for coordinators (their spaces) and staff (everything): a list and its CSV."""

from functools import wraps

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from groups import access
from portal import pagination
from portal.audit import selectors
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.audit.forms import AuditFilterForm
from portal.viewhelpers import anonymous_to_login


def _readers_only(view):
    """Whoever may not read the log gets the 404 of a missing page, whatever the method."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.can_read_audit_log(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request) -> tuple[AuditFilterForm, selectors.AuditFilter]:
    """The list's filters. A space the person does not coordinate answers 404, like a missing one."""
    spaces = selectors.readable_spaces(user=request.user)
    slug = request.GET.get("raum", "")
    space = next((space for space in spaces if space.slug == slug), None)
    if slug and space is None:
        raise Http404
    form = AuditFilterForm(request.GET or None, spaces=spaces)
    form.is_valid()  # the valid filters apply even beside an invalid one, whose error the form shows
    data = getattr(form, "cleaned_data", {})
    return form, selectors.AuditFilter(
        space=space,
        person=data.get("person", "").strip(),
        action=data.get("art", ""),
    )


@anonymous_to_login
@_readers_only
@require_safe
def entry_list(request):
    form, filters = _filters(request)
    page = pagination.paginate(request, selectors.audit_entries(user=request.user, filters=filters))
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "export_query": pagination.query_without_page(request)},
    )


@anonymous_to_login
@_readers_only
@require_safe
def entry_export(request):
    _form, filters = _filters(request)
    audit.record(
        Action.DATA_EXPORTED,
        actor=request.user,
        space=filters.space,
        request=request,
        target_label=_("Aktivitätsprotokoll (CSV)"),
        after={"person": filters.person, "action": filters.action}
        if filters.person or filters.action
        else None,
    )
    entries = selectors.audit_entries(user=request.user, filters=filters)
    response = StreamingHttpResponse(selectors.csv_lines(entries), content_type="text/csv; charset=utf-8")
    name = f"aktivitaetsprotokoll-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
