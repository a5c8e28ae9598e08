"""Reads of the questions: the triage list or "Meine Fragen", one question, the candidates for merging and
assigning; everything through groups.access."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from groups import access
from groups.models import Question, User
from groups.spaces import fachgruppe


def _questions(user) -> QuerySet[Question]:
    return access.visible_items(Question.objects.all(), user).select_related(
        "space", "asked_by", "assignee", "merged_into"
    )


@dataclass
class QuestionList:
    is_triage: bool
    questions: QuerySet[Question]


def question_list(*, user, status: str = "") -> QuestionList:
    """The triage list for coordinators of the Fachgruppe; everyone else sees their own and assigned ones."""
    space = fachgruppe()
    questions = _questions(user).prefetch_related("trades", "topics")
    is_triage = access.can_coordinate(user, space)
    if is_triage:
        questions = questions.filter(space=space)
    else:
        questions = questions.filter(Q(asked_by=user) | Q(assignee=user))
    if status:
        questions = questions.filter(status=status)
    return QuestionList(is_triage=is_triage, questions=questions)


def question_detail(*, user, pk: int) -> Question:
    question = access.get_visible_or_404(
        Question.objects.select_related(
            "space", "asked_by", "assignee", "merged_into", "thread", "decided_by"
        ).prefetch_related("trades", "topics"),
        user,
        pk=pk,
    )
    question.merged_list = list(_questions(user).filter(merged_into=question))
    question.page_list = list(
        access.visible_items(question.information_pages.all(), user).order_by("-published_at", "-created_at")
    )
    return question


def merge_candidates(*, question: Question) -> QuerySet[Question]:
    """Questions of the same space this one could be folded into."""
    return (
        Question.objects.filter(space=question.space)
        .exclude(pk=question.pk)
        .exclude(status__in=[Question.Status.DECLINED, Question.Status.MERGED])
        .order_by("-created_at")
    )


def assignee_candidates(*, question: Question) -> QuerySet[User]:
    return User.objects.filter(pk__in=access.audience_member_ids(question.space)).order_by("name")
