"""Views of questions: intake, the triage list or "Meine Fragen", one question with its triage actions.

Thin: each resolves the question through groups.selectors_questions (and so through
groups.access) and calls one service. Hidden questions answer 404 like missing ones.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access, information, questions, selectors_questions
from groups.forms_questions import AcceptForm, DeclineForm, MergeForm, QuestionFilterForm, QuestionForm
from portal import once, pagination
from portal.pagination import query_without_page
from portal.viewhelpers import form_error

PAGE_SIZE = 25


@login_required
def question_create(request):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = once.submit(
                request=request,
                form=form,
                create=lambda: questions.question_submit(
                    asker=request.user, **form.cleaned_data
                ).get_absolute_url(),
                success_message=_(
                    "Ihre Frage ist eingegangen. Die Koordination der Fachgruppe meldet sich bei Ihnen."
                ),
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            if sent:
                return sent
    return render(request, "groups/questions/question_form.html", {"form": form})


@login_required
def question_list(request):
    filter_form = QuestionFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    listing = selectors_questions.question_list(user=request.user, status=status)
    page = pagination.paginate(request, listing.questions, page_size=PAGE_SIZE)
    return render(
        request,
        "groups/questions/question_list.html",
        {
            "listing": listing,
            "page": page,
            "filter_form": filter_form,
            "filter_query": query_without_page(request),
            "status": status,
        },
    )


@login_required
def question_detail(request, pk: int):
    question = selectors_questions.question_detail(user=request.user, pk=pk)
    can_triage = access.can_coordinate(request.user, question.space)
    is_open = question.status == question.Status.SUBMITTED
    forms = {}
    if can_triage and is_open:
        data = request.POST if request.method == "POST" else None
        action = request.POST.get("action")
        forms = {
            "accept": AcceptForm(
                data if action == "accept" else None,
                candidates=selectors_questions.assignee_candidates(question=question),
            ),
            "decline": DeclineForm(data if action == "decline" else None),
            "merge": MergeForm(
                data if action == "merge" else None,
                candidates=selectors_questions.merge_candidates(question=question),
            ),
        }
        if request.method == "POST":
            form = forms.get(action)
            if form is None:
                raise Http404
            if form.is_valid():
                try:
                    _triage(request, question, action, form.cleaned_data)
                except ValidationError as error:
                    form_error(form, error)
                else:
                    return redirect(question)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "groups/questions/question_detail.html",
        {
            "question": question,
            "can_triage": can_triage,
            "forms": forms,
            "thread_visible": question.thread is not None and access.can_view(request.user, question.thread),
            "can_draft_answer": can_triage
            and question.status in (question.Status.ACCEPTED, question.Status.ANSWERED),
        },
    )


def _triage(request, question, action: str, data: dict) -> None:
    if action == "accept":
        questions.question_accept(question=question, by=request.user, assignee=data["assignee"])
        messages.success(request, _("Die Frage ist angenommen; die Diskussion dazu ist eröffnet."))
    elif action == "decline":
        questions.question_decline(question=question, by=request.user, reason=data["reason"])
        messages.success(request, _("Die Frage ist abgelehnt; die fragende Person erfährt die Begründung."))
    else:
        questions.question_merge(question=question, into=data["into"], by=request.user)
        messages.success(
            request, _("Die Frage ist mit „%(other)s“ zusammengeführt.") % {"other": data["into"]}
        )


@login_required
@require_POST
def question_draft_answer(request, pk: int):
    question = selectors_questions.question_detail(user=request.user, pk=pk)
    if not access.can_coordinate(request.user, question.space):
        raise Http404
    try:
        page = information.information_draft_from_question(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(question)
    messages.success(
        request, _("Der Entwurf ist angelegt. Schreiben Sie die Antwort und veröffentlichen Sie sie.")
    )
    return redirect("information:edit", slug=page.slug)
