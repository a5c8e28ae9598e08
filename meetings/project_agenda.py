"""Model projects on meeting agendas: an accepted project becomes an agenda item.

Meetings own the link of an agenda item to a project (AgendaItem.project), so this write lives here
and projects import nothing of meetings; the project page shows the meetings through its panels
(meetings/panels.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from groups import access
from groups.models import User
from meetings import selectors, services
from meetings.models import AgendaItem, Meeting
from projects.models import Project
from projects.services import TransitionRefusedError


@transaction.atomic
def put_on_agenda(
    *, project: Project, meeting: Meeting, by: User, duration_minutes: int | None
) -> AgendaItem:
    """An accepted project becomes the last item of an upcoming meeting's agenda, its submitter presenting
    (or, when the submitter is outside the meeting's ring, the contact person by name)."""
    if not access.can_view(by, meeting):
        raise PermissionDenied
    if project.status != Project.Status.ACCEPTED:
        raise TransitionRefusedError(_("Nur angenommene Projekte kommen auf eine Tagesordnung."))
    if meeting.status == Meeting.Status.HELD:
        raise TransitionRefusedError(_("Diese Sitzung ist abgesagt oder hat schon stattgefunden."))
    if meeting.agenda_items.filter(project=project).exists():
        raise ValidationError(_("Das Projekt steht schon auf der Tagesordnung dieser Sitzung."))
    presenter = project.submitted_by
    if not selectors.meeting_people(meeting=meeting).filter(pk=presenter.pk).exists():
        presenter = None
    return services.agenda_item_add(
        meeting=meeting,
        by=by,
        fields={
            "title": _("Projektvorstellung: %(title)s") % {"title": project.title},
            "details": project.summary,
            "presenter": presenter,
            "presenter_name": "" if presenter else project.contact_name,
            "duration_minutes": duration_minutes,
            "project": project,
        },
    )
