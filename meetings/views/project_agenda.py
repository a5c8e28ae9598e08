"""Putting an accepted model project on a meeting's agenda: for the coordinators of the project's home
space, at the project's address (/projects/<slug>/tagesordnung/, composed by portal/urls.py); anyone
else gets the 404 of a page that does not exist."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from groups import access
from meetings import project_agenda, selectors
from meetings.forms import ProjectAgendaForm
from portal.viewhelpers import anonymous_to_login, form_error
from projects import selectors as project_selectors
from projects.models import Project


@anonymous_to_login
def put_on_agenda(request, slug: str):
    project = project_selectors.project_detail(user=request.user, slug=slug)
    if not access.can_see_reviews(request.user, project) or project.status != Project.Status.ACCEPTED:
        raise Http404
    form = ProjectAgendaForm(
        request.POST or None, meetings=selectors.project_agenda_candidates(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            project_agenda.put_on_agenda(
                project=project,
                meeting=meeting,
                by=request.user,
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as refused:
            form_error(form, refused)
        else:
            messages.success(request, _("Das Projekt steht jetzt auf der Tagesordnung."))
            return redirect(meeting)
    return render(
        request,
        "meetings/project_put_on_agenda.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )
