"""What meetings show on the pages of other apps (portal/panels.py), registered by MeetingsConfig.ready:
a space's next meetings on its home; on a model project's page the meetings it was presented in and,
for its coordinators, the way onto an agenda."""

from groups import access
from meetings import selectors
from portal.panels import register_panel
from projects.models import Project


def space_meetings(request, space) -> dict:
    return {"space": space, "meetings": selectors.upcoming_meetings(user=request.user, space=space)}


def project_presentations(request, project: Project) -> dict | None:
    presentations = selectors.project_presentations(user=request.user, project=project)
    return {"presentations": presentations} if presentations else None


def project_put_on_agenda(request, project: Project) -> dict | None:
    if project.status != Project.Status.ACCEPTED or not access.can_coordinate(request.user, project.space):
        return None
    return {"project": project}


def register() -> None:
    register_panel("space-home", template="meetings/panels/space_meetings.html", context=space_meetings)
    register_panel(
        "project-shown", template="meetings/panels/project_presentations.html", context=project_presentations
    )
    register_panel(
        "project-actions",
        template="meetings/panels/project_put_on_agenda.html",
        context=project_put_on_agenda,
    )
