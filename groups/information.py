"""Information pages for craft businesses: drafting (also from a question) and publishing; the reads are
in groups.selectors_information.

A page is a ring item at home in a space. While a draft its audience is that
space; publishing widens it to the public (recorded in AudienceChange, like
every widening), answers the question it came from and starts the mail to
the public subscribers (groups.subscriptions).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access, notify, notify_questions, questions, selectors_information, services
from groups.models import InformationPage, Question, Space, Topic, Trade, User
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.slugs import german_slugify

# Paths below /informationen/ that are not pages; no page may take their name.
RESERVED_SLUGS = {"feed", "atom", "neu", "abonnieren", "abonnement"}
SUMMARY_LENGTH = 300


def _unique_slug(title: str) -> str:
    base = german_slugify(title)[:70].strip("-") or "information"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or InformationPage.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clean_fields(*, title: str, summary: str, body: str) -> tuple[str, str]:
    title, summary = title.strip(), summary.strip()
    if not title or not summary or not body.strip():
        raise ValidationError(_("Bitte füllen Sie Titel, Kurzfassung und Text aus."))
    return title, summary


@transaction.atomic
def information_draft_create(
    *,
    space: Space,
    by: User,
    title: str,
    summary: str,
    body: str,
    trades: list[Trade] | QuerySet = (),
    topics: list[Topic] | QuerySet = (),
    source_question: Question | None = None,
) -> InformationPage:
    """A draft, visible to the members of its home space until a coordinator publishes it."""
    if not access.can_see_space_content(by, space):
        raise PermissionDenied
    title, summary = _clean_fields(title=title, summary=summary, body=body)
    page = InformationPage.objects.create(
        space=space,
        audience=space,
        title=title,
        slug=_unique_slug(title),
        summary=summary,
        body=body,
        author=by,
        source_question=source_question,
    )
    page.trades.set(trades)
    page.topics.set(topics)
    return page


@transaction.atomic
def information_draft_from_question(*, question: Question, by: User) -> InformationPage:
    """The button "Antwort als Information entwerfen": a draft prefilled from an accepted question."""
    if not access.can_coordinate(by, question.space):
        raise PermissionDenied
    if question.status not in (Question.Status.ACCEPTED, Question.Status.ANSWERED):
        raise ValidationError(_("Eine Antwort lässt sich nur zu einer angenommenen Frage entwerfen."))
    summary = " ".join(question.body.split())
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[: SUMMARY_LENGTH - 1] + "…"
    body = _("## Die Frage\n\n%(question)s\n\n## Die Antwort der Fachgruppe\n\n") % {
        "question": question.body
    }
    return information_draft_create(
        space=question.space,
        by=by,
        title=question.title,
        summary=summary,
        body=body + _("(Hier steht die Antwort.)"),
        trades=question.trades.all(),
        topics=question.topics.all(),
        source_question=question,
    )


@transaction.atomic
def information_update(
    *,
    page: InformationPage,
    by: User,
    title: str,
    summary: str,
    body: str,
    trades: list[Trade] | QuerySet,
    topics: list[Topic] | QuerySet,
) -> InformationPage:
    """Changes text and vocabularies; the address stays, so links and feeds keep working."""
    if not selectors_information.can_edit(by, page):
        raise PermissionDenied
    page.title, page.summary = _clean_fields(title=title, summary=summary, body=body)
    page.body = body
    page.save(update_fields=["title", "summary", "body", "updated_at"])
    page.trades.set(trades)
    page.topics.set(topics)
    return page


@transaction.atomic
def information_publish(*, page: InformationPage, by: User) -> InformationPage:
    """Makes a draft public: recorded as a widening, answers its question, tells ring and subscribers."""
    from groups import tasks

    if not access.can_coordinate(by, page.space):
        raise PermissionDenied
    page = (
        InformationPage.objects.select_for_update(of=("self",))
        .select_related("space", "audience")
        .get(pk=page.pk)
    )
    refusal = selectors_information.publish_refusal(page)
    if refusal:
        raise ValidationError(refusal)
    previous = page.audience
    page.audience = None
    page.published_at = timezone.now()
    page.save(update_fields=["audience", "published_at", "updated_at"])
    services.record_widening(page, previous=previous, new=None, by=by, audited=False)
    audit.record(
        Action.INFORMATION_PUBLISHED,
        actor=by,
        target=page,
        space=page.space,
        before={"audience": services.audience_label(previous)},
        after={"audience": services.audience_label(None)},
    )
    notify_questions.information_published(page, by=by)
    notify.author_told_of_widening(page, by=by)
    question = page.source_question
    if question is not None and question.status == Question.Status.ACCEPTED:
        questions.question_mark_answered(question=question, page=page, by=by)
    transaction.on_commit(lambda: tasks.enqueue_fan_out(page.pk))
    return page
