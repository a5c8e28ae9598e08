"""One project: the showcase page for everyone who may see it, with status and feedback for its submitter."""

from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from groups import access
from portal.notifications.selectors import read_personal_ahead
from portal.panels import panels_for
from portal.viewhelpers import anonymous_to_login
from projects import selectors


@anonymous_to_login
def project_detail(request, slug: str):
    read_personal_ahead(request.user, follow_button=False)
    project = selectors.project_detail(user=request.user, slug=slug)
    user = request.user
    is_submitter = user.is_authenticated and project.submitted_by_id == user.pk
    can_coordinate = access.can_coordinate(user, project.space)
    projector = request.GET.get("ansicht") == "beamer"
    return render(
        request,
        "projects/projector.html" if projector else "projects/detail.html",
        {
            "project": project,
            "is_submitter": is_submitter,
            "can_edit": access.can_edit_project(user, project),
            "can_review": access.can_review(user, project),
            "can_coordinate": can_coordinate,
            # The review's state is a shared fragment too (for the submitter and for the coordinators
            # apart): read only when it is not kept already.
            "decisions": SimpleLazyObject(lambda: selectors.decisions_for_submitter(project))
            if is_submitter or can_coordinate
            else [],
            "missing": SimpleLazyObject(lambda: selectors.missing_for_submission(project))
            if is_submitter
            else [],
            # What other apps show on a project's page (portal/panels.py): its meetings. Read only
            # when the shared fragment they are part of is not kept already.
            "shown_panels": SimpleLazyObject(lambda: panels_for("project-shown", request, project)),
            "action_panels": SimpleLazyObject(lambda: panels_for("project-actions", request, project)),
        },
    )
