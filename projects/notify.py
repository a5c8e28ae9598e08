"""The events the projects app writes into the outbox, inside the transactions of projects.services."""

from django.urls import reverse

from groups.notify import excerpt
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from projects.models import Decision, Project


def _data(project: Project, **extra) -> dict:
    return {
        "title": project.title,
        "space": project.space.name,
        "excerpt": excerpt(project.summary),
        "url": project.get_absolute_url(),
        **extra,
    }


def submitted(project: Project, *, by) -> None:
    """To the coordinators of the home space, who review it."""
    record(
        kind=Kind.PROJECT_SUBMITTED,
        audience=Event.Audience.COORDINATORS,
        space=project.space,
        actor=by,
        subject=project,
        data=_data(
            project,
            actor=by.name,
            url=reverse("projects:review", kwargs={"slug": project.slug}),
        ),
    )


def decided(project: Project, decision: Decision) -> None:
    """To the submitter: the outcome and its reasons (the project is theirs to see in every state)."""
    record(
        kind=Kind.PROJECT_DECIDED,
        audience=Event.Audience.PEOPLE,
        space=project.space,
        actor=decision.decided_by,
        recipients=[project.submitted_by],
        subject=project,
        # A return for revision says in the mail what to change; otherwise the summary reminds of the project.
        data=_data(
            project,
            decision=decision.outcome,
            reason=decision.reason,
            excerpt=excerpt(decision.changes_requested or project.summary),
        ),
    )


def accepted(project: Project, *, by) -> None:
    """Into the Fachgruppe's activity (its members' digests by default)."""
    record(
        kind=Kind.PROJECT_ACCEPTED,
        audience=Event.Audience.RING,
        space=project.space,
        ring=project.space,
        actor=by,
        subject=project,
        data=_data(project, actor=by.name),
    )
