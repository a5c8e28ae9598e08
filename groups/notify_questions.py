"""The events of questions and information pages in the outbox: what each says and whom it reaches.

Called by groups.questions and groups.information inside their transactions,
so an event exists exactly when its change was committed. The asker is
addressed as a person (PEOPLE); delivery checks through groups.access that
they may see the question, which the asker always may.
"""

from groups.models import InformationPage, Question
from groups.notify import excerpt
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event


def question_asked(question: Question) -> None:
    record(
        kind=Kind.QUESTION_ASKED,
        audience=Event.Audience.COORDINATORS,
        space=question.space,
        actor=question.asked_by,
        subject=question,
        data={
            "space": question.space.name,
            "title": question.title,
            "actor": question.asked_by.name,
            "excerpt": excerpt(question.body),
            "url": question.get_absolute_url(),
        },
    )


def question_decided(question: Question) -> None:
    """Accepted, declined (with the reason) or merged (pointing to the question it joined)."""
    target = question.merged_into if question.status == Question.Status.MERGED else question
    data = {
        "space": question.space.name,
        "title": question.title,
        "decision": question.status,
        "url": target.get_absolute_url(),
    }
    if question.status == Question.Status.DECLINED:
        data["reason"] = question.decline_reason
    if question.status == Question.Status.MERGED:
        data["excerpt"] = question.merged_into.title
    _to_asker(Kind.QUESTION_DECIDED, question, actor=question.decided_by, data=data)


def question_answered(question: Question, page: InformationPage, *, by) -> None:
    _to_asker(
        Kind.QUESTION_ANSWERED,
        question,
        actor=by,
        data={
            "space": question.space.name,
            "title": question.title,
            "excerpt": page.summary,
            "url": page.get_absolute_url(),
        },
    )


def information_published(page: InformationPage, *, by) -> None:
    """The home space's ring hears of it; the public hears through feeds and subscriptions."""
    record(
        kind=Kind.INFORMATION_PUBLISHED,
        audience=Event.Audience.RING,
        space=page.space,
        ring=page.space,
        actor=by,
        subject=page,
        data={
            "space": page.space.name,
            "title": page.title,
            "excerpt": page.summary,
            "url": page.get_absolute_url(),
        },
    )


def _to_asker(kind: Kind, question: Question, *, actor, data: dict) -> None:
    if question.asked_by is None:
        return
    record(
        kind=kind,
        audience=Event.Audience.PEOPLE,
        space=question.space,
        actor=actor,
        recipients=[question.asked_by],
        subject=question,
        data=data,
    )
