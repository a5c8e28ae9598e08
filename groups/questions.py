"""Questions brought to the Fachgruppe: intake, triage (accept and assign, decline, merge), answer.

Writes are keyword-only services, each one transition of the state machine
below, refusing any other with a translated ValidationError. The reads are in
groups.selectors_questions.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access, notify_questions, services
from groups.models import Question, Topic, Trade, User
from groups.spaces import fachgruppe
from portal.audit import services as audit
from portal.audit.actions import Action

Status = Question.Status

# Where each state may go, and nowhere else.
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.DECLINED, Status.MERGED},
    Status.ACCEPTED: {Status.ANSWERED},
    Status.DECLINED: set(),
    Status.MERGED: set(),
    Status.ANSWERED: set(),
}


def _move(question: Question, to: str) -> Question:
    """Locks the question and checks the transition; the caller sets the rest and saves."""
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("space", "asked_by")
        .get(pk=question.pk)
    )
    if to not in TRANSITIONS[question.status]:
        raise ValidationError(
            _("Eine Frage mit dem Status „%(current)s“ kann nicht „%(target)s“ werden.")
            % {"current": question.get_status_display(), "target": Status(to).label}
        )
    question.status = to
    return question


def _audit(action: Action, question: Question, *, by: User, **details) -> None:
    """Triage is recorded with the asker as the person concerned."""
    audit.record(
        action,
        actor=by,
        target=question,
        space=question.space,
        person=question.asked_by,
        **details,
    )


@transaction.atomic
def question_submit(
    *,
    asker: User,
    title: str,
    body: str,
    working_group: str = "",
    trades: list[Trade] | QuerySet = (),
    topics: list[Topic] | QuerySet = (),
) -> Question:
    """A signed-in partner with a verified address brings a question to the Fachgruppe."""
    if not EmailAddress.objects.filter(user=asker, verified=True).exists():
        raise ValidationError(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("Bitte geben Sie die Frage und ihren Hintergrund an."))
    space = fachgruppe()
    question = Question.objects.create(
        space=space,
        audience=space,
        title=title.strip(),
        body=body,
        working_group=working_group.strip() or asker.organisation_name,
        asked_by=asker,
    )
    question.trades.set(trades)
    question.topics.set(topics)
    notify_questions.question_asked(question)
    return question


@transaction.atomic
def question_accept(*, question: Question, by: User, assignee: User) -> Question:
    """Accepts the question, makes `assignee` responsible and opens the space's discussion of it."""
    access.require_coordinator(by, question.space)
    question = _move(question, Status.ACCEPTED)
    if assignee.pk not in access.audience_member_ids(question.space):
        raise ValidationError(
            _("Zuständig kann nur ein Mitglied von „%(space)s“ sein.") % {"space": question.space}
        )
    asker = question.asked_by.name if question.asked_by else _("Ehemaliges Konto")
    opening = _(
        "Frage von %(asker)s (%(group)s), zuständig: @%(assignee)s\n\n%(body)s\n\nZur Frage: %(url)s"
    ) % {
        "asker": asker,
        "group": question.working_group or "–",
        "assignee": assignee.name,
        "body": question.body,
        "url": question.get_absolute_url(),
    }
    question.thread = services.thread_create(
        space=question.space, author=by, title=question.title, body=opening
    )
    question.assignee = assignee
    question.decided_by = by
    question.decided_at = timezone.now()
    question.save(update_fields=["status", "assignee", "thread", "decided_by", "decided_at"])
    _audit(Action.QUESTION_ACCEPTED, question, by=by, after={"assignee": assignee.name})
    notify_questions.question_decided(question)
    return question


@transaction.atomic
def question_decline(*, question: Question, by: User, reason: str) -> Question:
    access.require_coordinator(by, question.space)
    if not reason.strip():
        raise ValidationError(
            _("Bitte begründen Sie die Ablehnung; die fragende Person sieht die Begründung.")
        )
    question = _move(question, Status.DECLINED)
    question.decline_reason = reason.strip()
    question.decided_by = by
    question.decided_at = timezone.now()
    question.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    _audit(Action.QUESTION_DECLINED, question, by=by, summary=question.decline_reason)
    notify_questions.question_decided(question)
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, by: User) -> Question:
    """Folds a question into one that says the same; its asker follows the other one from then on."""
    access.require_coordinator(by, question.space)
    if into.pk == question.pk:
        raise ValidationError(_("Eine Frage kann nicht mit sich selbst zusammengeführt werden."))
    into = Question.objects.select_for_update().get(pk=into.pk)
    if into.space_id != question.space_id or into.status in (Status.DECLINED, Status.MERGED):
        raise ValidationError(_("Mit dieser Frage kann nicht zusammengeführt werden."))
    question = _move(question, Status.MERGED)
    question.merged_into = into
    question.decided_by = by
    question.decided_at = timezone.now()
    question.save(update_fields=["status", "merged_into", "decided_by", "decided_at"])
    _audit(Action.QUESTION_MERGED, question, by=by, after={"merged_into": into.title})
    notify_questions.question_decided(question)
    return question


def question_mark_answered(*, question: Question, page, by: User) -> Question:
    """Called by information_publish, inside its transaction: the published page answers the question."""
    question = _move(question, Status.ANSWERED)
    question.answered_at = timezone.now()
    question.save(update_fields=["status", "answered_at"])
    notify_questions.question_answered(question, page, by=by)
    return question
