"""Named reads of projects for the submission and review pages, all through the ring rules (groups.access)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import access
from groups.spaces import fachgruppe
from portal import readcache
from projects.models import Decision, Project, Review

DEFAULT_MIN_REVIEWS = 2


def default_min_reviews() -> int:
    """The reviews a decision needs where the home space sets no number of its own."""
    return getattr(settings, "PROJECT_MIN_REVIEWS", DEFAULT_MIN_REVIEWS)


def required_reviews(project: Project) -> int:
    """How many reviews of the current round a decision needs: the home space's own number, or
    the portal's (PROJECT_MIN_REVIEWS). Several coordinators review, as the review page says."""
    return project.space.min_project_reviews or default_min_reviews()


def can_submit_projects(user) -> bool:
    """Partners inside the Fachgruppe's ring present projects."""
    return user.is_authenticated and access.can_see_space_content(user, fachgruppe())


# What a submission must have; a draft may lack any of it. (field, label, section)
REQUIRED_FOR_SUBMISSION = (
    ("title", gettext_lazy("Titel"), "grunddaten"),
    ("summary", gettext_lazy("Kurzfassung"), "grunddaten"),
    ("organisation", gettext_lazy("Organisation"), "grunddaten"),
    ("region", gettext_lazy("Region"), "grunddaten"),
    ("starts_on", gettext_lazy("Beginn"), "grunddaten"),
    ("description", gettext_lazy("Beschreibung"), "inhalt"),
    ("trades", gettext_lazy("mindestens ein Gewerk"), "inhalt"),
    ("contact_name", gettext_lazy("Ansprechperson"), "kontakt"),
    ("contact_email", gettext_lazy("E-Mail der Ansprechperson"), "kontakt"),
)


def missing_for_submission(project: Project) -> list[tuple[str, str]]:
    """What the project still lacks before it can be submitted: (label, section) pairs."""
    missing = []
    for field, label, section in REQUIRED_FOR_SUBMISSION:
        if field == "trades":
            present = project.trades.exists()
        else:
            value = getattr(project, field)
            present = bool(value.strip()) if isinstance(value, str) else value is not None
        if not present:
            missing.append((str(label), section))
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        missing.append((_("ein Ende nach dem Beginn"), "grunddaten"))
    return missing


def visible_projects(user) -> QuerySet[Project]:
    return access.visible_items(Project.objects.all(), user)


def project_detail(*, user, slug: str) -> Project:
    """One project as `user` may see it. An accepted project is a shared read (the same for everyone
    of the person's standing); one under review is read for the person alone, since it is visible
    through their own rights (submitter, coordinator) that their standing does not carry."""
    key = ("project_detail", slug)
    cached = readcache.shared_read(*key, user=user, build=lambda: None)
    if cached is not None:
        return cached
    queryset = Project.objects.select_related(
        "space", "organisation", "funding_programme", "submitted_by"
    ).prefetch_related("trades", "topics", "images", "attachments")
    project = access.get_visible_or_404(queryset, user, slug=slug)
    # Shared only when the ring alone shows it (not the person's own rights as its submitter).
    through_the_ring = project.audience_id is None or project.audience_id in access.ring_space_ids(user)
    if project.status == Project.Status.ACCEPTED and through_the_ring:
        readcache.remember(*key, user=user, value=project)
    return project


def my_projects(*, user) -> QuerySet[Project]:
    return (
        Project.objects.filter(submitted_by=user)
        .select_related("organisation")
        .order_by("-updated_at", "-pk")
    )


def review_queue(*, user) -> QuerySet[Project]:
    """Projects waiting for the coordinators of the spaces `user` coordinates, oldest first."""
    return (
        Project.objects.filter(
            space_id__in=access.coordinated_space_ids(user),
            status__in=[Project.Status.SUBMITTED, Project.Status.IN_REVIEW],
        )
        .select_related("organisation", "submitted_by")
        .annotate(
            review_count=Count("reviews", filter=Q(reviews__round=F("round")), distinct=True),
            reviews_needed=Coalesce(F("space__min_project_reviews"), Value(default_min_reviews())),
        )
        .order_by("submitted_at", "pk")
    )


def recently_decided(*, user, limit: int = 10) -> QuerySet[Project]:
    return (
        Project.objects.filter(
            space_id__in=access.coordinated_space_ids(user),
            status__in=[Project.Status.ACCEPTED, Project.Status.RETURNED, Project.Status.DECLINED],
        )
        .select_related("organisation")
        .order_by("-updated_at")[:limit]
    )


@dataclass(frozen=True)
class Round:
    """One submission round as the review page and the submitter's history show it."""

    number: int
    submitted_at: object
    snapshot: dict
    reviews: list[Review]
    decision: Decision | None

    @property
    def averages(self) -> dict:
        if not self.reviews:
            return {}
        count = len(self.reviews)
        return {
            "transferability": sum(r.transferability for r in self.reviews) / count,
            "added_value": sum(r.added_value for r in self.reviews) / count,
        }


def rounds(project: Project) -> list[Round]:
    """Every round of a project, newest first, with its reviews and decision (for coordinators)."""
    reviews: dict[int, list[Review]] = {}
    for review in project.reviews.select_related("reviewer").order_by("created_at"):
        reviews.setdefault(review.round, []).append(review)
    decisions = {d.round: d for d in project.decisions.select_related("decided_by")}
    return [
        Round(
            number=submission.number,
            submitted_at=submission.submitted_at,
            snapshot=submission.snapshot,
            reviews=reviews.get(submission.number, []),
            decision=decisions.get(submission.number),
        )
        for submission in project.submissions.order_by("-number")
    ]


def decisions_for_submitter(project: Project) -> list[Decision]:
    """The decisions with their reasons, newest first; reviews only where a coordinator shared them."""
    decisions = list(project.decisions.order_by("-round"))
    shared_rounds = {d.round for d in decisions if d.share_reviews}
    shared: dict[int, list[Review]] = {}
    for review in project.reviews.filter(round__in=shared_rounds).order_by("created_at"):
        shared.setdefault(review.round, []).append(review)
    for decision in decisions:
        decision.shared_reviews = shared.get(decision.round, [])
    return decisions
