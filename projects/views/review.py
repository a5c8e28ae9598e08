"""The coordinators' side: the review queue, one project's review with all scores side by side, and
the decision (putting an accepted project on a meeting's agenda is meetings/views/project_agenda.py).

Everything here is for the coordinators of the project's home space; anyone
else gets the 404 of a page that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access
from portal import pagination
from portal.viewhelpers import anonymous_to_login, form_error
from projects import selectors, services
from projects.forms import DecisionForm, ReviewForm
from projects.models import Review


def _coordinated_or_404(request, slug: str):
    project = selectors.project_detail(user=request.user, slug=slug)
    if not access.can_see_reviews(request.user, project):
        raise Http404
    return project


@anonymous_to_login
def review_queue(request):
    if not access.coordinated_space_ids(request.user):
        raise Http404
    return render(
        request,
        "projects/review_queue.html",
        {
            "waiting": pagination.paginate(request, selectors.review_queue(user=request.user)),
            "decided": selectors.recently_decided(user=request.user),
        },
    )


def _review_page(request, project, *, review_form=None, decision_form=None, status=200):
    own = None
    if request.user.is_authenticated:
        own = Review.objects.filter(project=project, round=project.round, reviewer=request.user).first()
    rounds = selectors.rounds(project)
    return render(
        request,
        "projects/review.html",
        {
            "project": project,
            "rounds": rounds,
            "can_review": access.can_review(request.user, project),
            "is_open": project.status in (project.Status.SUBMITTED, project.Status.IN_REVIEW),
            "can_decide": project.status == project.Status.IN_REVIEW,
            "review_form": review_form or ReviewForm(instance=own),
            "decision_form": decision_form or DecisionForm(),
            "own_review": own,
            "required_reviews": selectors.required_reviews(project),
            "reviews_done": sum(len(r.reviews) for r in rounds if r.number == project.round),
        },
        status=status,
    )


@anonymous_to_login
def project_review(request, slug: str):
    return _review_page(request, _coordinated_or_404(request, slug))


@anonymous_to_login
@require_POST
def review_save(request, slug: str):
    project = _coordinated_or_404(request, slug)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.save_review(project=project, by=request.user, scores=form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Ihr eigenes Projekt können Sie nicht bewerten."))
        except ValidationError as refused:
            form_error(form, refused)
        else:
            messages.success(request, _("Ihre Bewertung ist gespeichert."))
            return redirect("projects:review", slug=project.slug)
    return _review_page(request, project, review_form=form, status=400)


@anonymous_to_login
@require_POST
def decision_save(request, slug: str):
    project = _coordinated_or_404(request, slug)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(project=project, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Über Ihr eigenes Projekt können Sie nicht entscheiden."))
        except ValidationError as refused:
            form_error(form, refused)
        else:
            messages.success(
                request, _("Die Entscheidung ist gespeichert; die einreichende Person ist benachrichtigt.")
            )
            return redirect("projects:review", slug=project.slug)
    return _review_page(request, project, decision_form=form, status=400)
