"""Views of the minutes: the coordinators' editing page, publishing, history, PDF and "Meine Aufgaben".

Thin: each resolves the meeting through groups.access (404 for missing and
hidden alike; anonymous visitors go to the login page) and calls one function
of meetings.minutes.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access
from groups.views import anonymous_to_login
from meetings import minutes as service
from meetings import pdf
from meetings.forms_minutes import ActionItemForm, DecisionForm, DiscussionForm, IntroductionForm, StatusForm
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from portal import pagination

PDF_RETRY_SECONDS = 3


def _coordinated_meeting_or_404(request, pk: int) -> Meeting:
    meeting = service.visible_meeting_or_404(user=request.user, pk=pk)
    if not access.can_coordinate(request.user, meeting.space):
        raise Http404
    return meeting


@dataclass
class ItemForms:
    item: AgendaItem
    discussion: DiscussionForm
    decisions: list[tuple[Decision, DecisionForm]]
    new_decision: DecisionForm


def _action_form(meeting, people, *, prefix, data=None, initial=None) -> ActionItemForm:
    return ActionItemForm(data, meeting=meeting, people=people, prefix=prefix, initial=initial)


def _forms(meeting: Meeting, minutes: Minutes | None, bound: dict) -> dict:
    """Every form of the page, unbound except the one just sent (it keeps what was typed)."""
    people = service.assignable_people(meeting)
    items = meeting.agenda_items.order_by("position", "pk").prefetch_related("decisions")
    item_forms = [
        ItemForms(
            item=item,
            discussion=bound.get(f"item-{item.pk}")
            or DiscussionForm(prefix=f"item-{item.pk}", initial={"discussion": item.discussion}),
            decisions=[
                (
                    decision,
                    bound.get(f"decision-{decision.pk}")
                    or DecisionForm(prefix=f"decision-{decision.pk}", initial={"text": decision.text}),
                )
                for decision in item.decisions.all()
            ],
            new_decision=bound.get(f"decision-new-{item.pk}")
            or DecisionForm(prefix=f"decision-new-{item.pk}"),
        )
        for item in items
    ]
    action_forms = [
        (
            action_item,
            bound.get(f"action-{action_item.pk}")
            or _action_form(
                meeting,
                people,
                prefix=f"action-{action_item.pk}",
                initial={
                    "title": action_item.title,
                    "agenda_item": action_item.agenda_item_id,
                    "assignees": [person.pk for person in action_item.assignees.all()],
                    "other_assignees": action_item.other_assignees,
                    "due_date": action_item.due_date,
                },
            ),
        )
        for action_item in meeting.action_items.prefetch_related("assignees").order_by("due_date", "pk")
    ]
    return {
        "meeting": meeting,
        "minutes": minutes,
        "introduction_form": bound.get("introduction")
        or IntroductionForm(initial={"introduction": minutes.introduction if minutes else ""}),
        "item_forms": item_forms,
        "action_forms": action_forms,
        "new_action_form": bound.get("action-new") or _action_form(meeting, people, prefix="action-new"),
    }


def _apply(request, meeting: Meeting) -> tuple[str, object] | None:
    """Runs the change the POST asks for; returns the (prefix, form) to show again when it failed."""
    action, target = request.POST.get("action", ""), request.POST.get("target", "")
    by = request.user
    if action == "introduction":
        form, prefix = IntroductionForm(request.POST), "introduction"
        change = lambda data: service.minutes_edit(meeting=meeting, by=by, introduction=data["introduction"])  # noqa: E731
    elif action == "discussion":
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=target)
        prefix = f"item-{item.pk}"
        form = DiscussionForm(request.POST, prefix=prefix)
        change = lambda data: service.agenda_item_discussion_edit(  # noqa: E731
            agenda_item=item, by=by, discussion=data["discussion"]
        )
    elif action == "decision_add":
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=target)
        prefix = f"decision-new-{item.pk}"
        form = DecisionForm(request.POST, prefix=prefix)
        change = lambda data: service.decision_add(agenda_item=item, by=by, text=data["text"])  # noqa: E731
    elif action in ("decision_edit", "decision_delete"):
        decision = get_object_or_404(Decision, agenda_item__meeting=meeting, pk=target)
        prefix = f"decision-{decision.pk}"
        if action == "decision_delete":
            service.decision_delete(decision=decision, by=by)
            return None
        form = DecisionForm(request.POST, prefix=prefix)
        change = lambda data: service.decision_edit(decision=decision, by=by, text=data["text"])  # noqa: E731
    elif action in ("action_add", "action_edit"):
        people = service.assignable_people(meeting)
        if action == "action_add":
            prefix = "action-new"
            form = _action_form(meeting, people, prefix=prefix, data=request.POST)
            change = lambda data: service.action_item_add(meeting=meeting, by=by, **data)  # noqa: E731
        else:
            action_item = get_object_or_404(ActionItem, meeting=meeting, pk=target)
            prefix = f"action-{action_item.pk}"
            form = _action_form(meeting, people, prefix=prefix, data=request.POST)
            change = lambda data: service.action_item_edit(action_item=action_item, by=by, **data)  # noqa: E731
    else:
        raise Http404
    if not form.is_valid():
        return prefix, form
    try:
        change(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return prefix, form
    return None


@anonymous_to_login
def minutes_edit(request, pk: int):
    """All items of the record on one page; each form saves one part and comes back here."""
    meeting = _coordinated_meeting_or_404(request, pk)
    bound = {}
    if request.method == "POST":
        failed = _apply(request, meeting)
        if failed is None:
            messages.success(request, _("Das Protokoll wurde gespeichert."))
            return redirect("meetings:minutes_edit", pk=meeting.pk)
        bound = dict([failed])
    minutes = Minutes.objects.filter(meeting=meeting).first()
    status = 400 if bound else 200
    return render(request, "meetings/minutes_edit.html", _forms(meeting, minutes, bound), status=status)


@anonymous_to_login
@require_POST
def minutes_publish(request, pk: int):
    meeting = _coordinated_meeting_or_404(request, pk)
    try:
        service.minutes_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("meetings:minutes_edit", pk=meeting.pk)
    messages.success(request, _("Das Protokoll ist veröffentlicht; die Teilnehmenden werden benachrichtigt."))
    return redirect(f"{meeting.get_absolute_url()}#protokoll")


@anonymous_to_login
def minutes_history(request, pk: int):
    """Earlier wordings of published minutes, for everyone who may read them."""
    meeting = service.visible_meeting_or_404(user=request.user, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=meeting, status=Minutes.Status.PUBLISHED)
    return render(
        request,
        "meetings/minutes_history.html",
        {"meeting": meeting, "minutes": minutes, "revisions": service.revisions(minutes=minutes)},
    )


@anonymous_to_login
def minutes_download(request, pk: int):
    """Published minutes: the stored PDF of their current version; drafts: rendered for their coordinators."""
    meeting = service.visible_meeting_or_404(user=request.user, pk=pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    if minutes.status == Minutes.Status.DRAFT:
        record = service.minutes_record(user=request.user, meeting=meeting)
        if record is None:
            raise Http404
        response = HttpResponse(pdf.minutes_pdf(record), content_type="application/pdf")
    else:
        minutes.meeting = meeting
        language = get_language()
        stored = pdf.stored_pdf(minutes=minutes, language=language) or pdf.render_and_store(
            minutes=minutes, language=language
        )
        if stored is None:
            return _pdf_pending(request, meeting)
        response = FileResponse(stored.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.pk}.pdf"'
    if meeting.audience_id is not None or minutes.status == Minutes.Status.DRAFT:
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
        {"tasks": pagination.paginate(request, service.my_action_items(request.user))},
    )


@anonymous_to_login
@require_POST
def task_status(request, pk: int):
    action_item = get_object_or_404(ActionItem.objects.select_related("meeting__space"), pk=pk)
    if not service.can_change_status(request.user, action_item):
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
