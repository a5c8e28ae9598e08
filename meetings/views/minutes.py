"""Views of the minutes: the coordinators' editing page, publishing, history, PDF and "Meine Aufgaben".

Thin: each resolves the meeting through groups.access (404 for missing and
hidden alike; anonymous visitors go to the login page) and calls one function
of meetings.minutes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import minutes as service
from meetings import minutes_document as document
from meetings import pdf, selectors, selectors_minutes, selectors_minutes_document
from meetings.forms_minutes import ApproveForm, MinutesDocumentForm, StatusForm
from meetings.models import ActionItem, Meeting, Minutes, MinutesPdf
from portal import pagination, readcache, writing
from portal.viewhelpers import anonymous_to_login

PDF_RETRY_SECONDS = 3


def _document_form(request, meeting: Meeting, minutes: Minutes | None, data=None) -> MinutesDocumentForm:
    return MinutesDocumentForm(
        data,
        meeting=meeting,
        minutes=minutes,
        people=selectors_minutes.assignable_people(meeting),
        next_choices=selectors_minutes_document.next_meeting_choices(meeting=meeting, user=request.user),
    )


def _editor(request, meeting, minutes, form, *, bases=None, conflicts=(), status=200):
    if bases is None:
        bases = selectors_minutes_document.fingerprints(meeting=meeting, minutes=minutes)
    form.show_bases(bases)
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "bases": bases,
            "conflicts": conflicts,
            "can_start": minutes is not None or selectors_minutes.can_start(meeting),
            "can_publish": selectors_minutes.is_over(meeting),
        },
        status=status,
    )


def _delete_decision(request) -> int | None:
    value = request.POST.get("delete_decision", "")
    return int(value) if value.isdigit() else None


@anonymous_to_login
def minutes_edit(request, pk: int):
    """The whole Protokoll as one form; every button saves every section first."""
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if request.method != "POST":
        return _editor(request, meeting, minutes, _document_form(request, meeting, minutes))
    # "Vorschau" without JavaScript saves everything, like every button, and then shows the preview.
    preview = request.POST.get(writing.PREVIEW_FIELD, "")
    data = request.POST.copy()
    data.pop(writing.PREVIEW_FIELD, None)
    form = _document_form(request, meeting, minutes, data)
    if not form.is_valid():
        return _editor(request, meeting, minutes, form, bases=form.bases(), status=400)
    try:
        minutes = document.minutes_save(
            meeting=meeting,
            by=request.user,
            change=form.change(delete_decision=_delete_decision(request)),
            bases=form.bases(),
            reason=form.reason_text,
        )
    except document.MinutesConflictError as conflict:
        # Fresh fingerprints: saving again is the deliberate choice to keep one's own text.
        return _editor(request, meeting, minutes, form, conflicts=conflict.conflicts, status=409)
    except ValidationError as error:
        form.add_error(error)
        return _editor(request, meeting, minutes, form, bases=form.bases(), status=400)
    if request.POST.get("then") == "publish":
        return _publish(request, meeting)
    if preview:
        saved = _document_form(request, meeting, minutes)
        for part in saved.forms():
            writing.show_preview(part, preview)
        messages.success(request, _("Das Protokoll wurde gespeichert."))
        return _editor(request, meeting, minutes, saved)
    messages.success(request, _("Das Protokoll wurde gespeichert."))
    return redirect("meetings:minutes_edit", pk=meeting.pk)


@anonymous_to_login
@require_POST
def minutes_autosave(request, pk: int):
    """htmx: saves the section that changed and answers with a small status (and its new fingerprint)."""
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    section = request.POST.get("section", "")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = _document_form(request, meeting, minutes, request.POST)
    context = {
        "meeting": meeting,
        "section": section,
        "saved_at": None,
        "problem": "",
        "base": None,
        "created": {},
    }
    if not form.is_valid(section=section):
        context["problem"] = _(
            "Nicht gespeichert: Bitte prüfen Sie die markierten Angaben und speichern Sie."
        )
    else:
        try:
            saved = document.minutes_autosave(
                meeting=meeting,
                by=request.user,
                section=section,
                change=form.change(),
                base=form.bases().get(section, ""),
            )
            context["base"], context["created"] = saved.base, saved.created
        except document.MinutesConflictError:
            context["problem"] = _(
                "Nicht gespeichert: Jemand anderes hat diesen Teil inzwischen geändert. "
                "Drücken Sie „Speichern“, um beide Fassungen nebeneinander zu sehen."
            )
        except ValidationError as error:
            context["problem"] = _("Nicht gespeichert: %(reason)s") % {"reason": " ".join(error.messages)}
        else:
            context["saved_at"] = timezone.now()
    return render(request, "meetings/minutes_edit.html#autosave_status", context)


def _publish(request, meeting: Meeting):
    try:
        service.minutes_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("meetings:minutes_edit", pk=meeting.pk)
    messages.success(request, _("Das Protokoll ist veröffentlicht; die Teilnehmenden werden benachrichtigt."))
    return redirect(f"{meeting.get_absolute_url()}#protokoll")


@anonymous_to_login
@require_POST
def minutes_publish(request, pk: int):
    return _publish(request, selectors.coordinated_meeting_or_404(user=request.user, pk=pk))


@anonymous_to_login
@require_POST
def minutes_approve(request, pk: int):
    """Notes that a later meeting approved the published minutes ("genehmigt am …")."""
    meeting = selectors.coordinated_meeting_or_404(user=request.user, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie das Datum der Genehmigung an."))
    else:
        try:
            service.minutes_approve(
                meeting=meeting, by=request.user, approved_on=form.cleaned_data["approved_on"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Das Protokoll ist als genehmigt vermerkt."))
    return redirect(f"{meeting.get_absolute_url()}#protokoll")


@anonymous_to_login
def minutes_history(request, pk: int):
    """Earlier wordings of published minutes, for everyone who may read them."""
    meeting = selectors_minutes.visible_meeting_or_404(user=request.user, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=meeting, status=Minutes.Status.PUBLISHED)
    return render(
        request,
        "meetings/minutes_history.html",
        {"meeting": meeting, "minutes": minutes, "revisions": selectors_minutes.revisions(minutes=minutes)},
    )


@anonymous_to_login
def minutes_download(request, pk: int):
    """Published minutes: the stored PDF of their current version; drafts: rendered for their coordinators."""
    language = get_language()
    # Where the stored PDF of published minutes lies is the same for everyone of the reader's
    # standing (portal/readcache.py): serving it then reads no row at all.
    published = readcache.shared_read(
        "published_minutes_pdf",
        pk,
        language,
        user=request.user,
        build=lambda: _stored_published_pdf(request.user, pk=pk, language=language),
    )
    if published is not None:
        name, inner = published
        response = FileResponse(
            MinutesPdf.file.field.storage.open(name, "rb"), content_type="application/pdf"
        )
        return _as_minutes_pdf(response, pk=pk, private=inner)
    meeting = selectors_minutes.visible_meeting_or_404(user=request.user, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    if minutes.status == Minutes.Status.DRAFT:
        record = selectors_minutes.minutes_record(user=request.user, meeting=meeting)
        if record is None:
            raise Http404
        response = HttpResponse(pdf.minutes_pdf(record), content_type="application/pdf")
    else:
        minutes.meeting = meeting
        language = get_language()
        stored = selectors_minutes.stored_pdf(minutes=minutes, language=language) or pdf.render_and_store(
            minutes=minutes, language=language
        )
        if stored is None:
            return _pdf_pending(request, meeting)
        response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
    return _as_minutes_pdf(
        response,
        pk=meeting.pk,
        private=meeting.audience_id is not None or minutes.status == Minutes.Status.DRAFT,
    )


def _stored_published_pdf(user, *, pk: int, language: str) -> tuple[str, bool] | None:
    """The stored file of the published minutes' current version and whether they are the inner
    ring's; None when the minutes are not published or not yet stored in `language`."""
    meeting = selectors_minutes.visible_meeting_or_404(user=user, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).first()
    stored = selectors_minutes.stored_pdf(minutes=minutes, language=language) if minutes is not None else None
    if stored is None:
        return None
    return stored.file.name, meeting.audience_id is not None


def _as_minutes_pdf(response: HttpResponse, *, pk: int, private: bool) -> HttpResponse:
    response["Content-Disposition"] = f'inline; filename="protokoll-{pk}.pdf"'
    if private:
        response["Cache-Control"] = "no-store, private, max-age=0"
    return response


def _pdf_pending(request, meeting: Meeting) -> HttpResponse:
    """Someone else is rendering this version right now: the page asks again in a few seconds."""
    response = render(request, "meetings/minutes_pdf_pending.html", {"meeting": meeting}, status=503)
    response["Retry-After"] = str(PDF_RETRY_SECONDS)
    response["Cache-Control"] = "no-store, private, max-age=0"
    return response


@login_required
def task_list(request):
    return render(
        request,
        "meetings/tasks.html",
        {"tasks": pagination.paginate(request, selectors_minutes.my_action_items(request.user))},
    )


@anonymous_to_login
@require_POST
def task_status(request, pk: int):
    action_item = get_object_or_404(ActionItem.objects.select_related("meeting__space"), pk=pk)
    if not selectors_minutes.can_change_status(request.user, action_item):
        raise Http404
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen gültigen Status."))
    else:
        try:
            service.STATUS_TRANSITIONS[form.cleaned_data["status"]](action_item=action_item, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Der Status der Aufgabe wurde geändert."))
    following = request.POST.get("next", "")
    if following == "meeting":
        return redirect(f"{action_item.meeting.get_absolute_url()}#protokoll")
    return redirect("meetings:tasks")
