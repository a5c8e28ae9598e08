"""What people do with model projects: draft, submit, review, decide, present. Rules and events live here;
what the pages read first (who may submit, what a draft lacks, the reviews a decision needs) is in
projects.selectors.

The states and who moves a project between them:

    draft ──submit──▶ submitted ──first review──▶ in review ──decide──▶ accepted
      ▲                                                    ├──────────▶ declined
      └──────────── returned (changes asked) ◀─────────────┘
                       └──resubmit──▶ submitted (next round)

Anything else is refused with `TransitionRefusedError`. Acceptance widens the
project's audience from the Fachgruppe to the public, recorded like every
widening.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import access
from groups.models import Space, User
from groups.services import audience_label, record_widening
from groups.spaces import fachgruppe
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.limits import UPLOAD_MAX_BYTES
from portal.slugs import german_slugify
from portal.uploads import DOCX, ODT, PDF, PPTX, XLSX, validate_upload
from projects import images, notify, selectors
from projects.models import Decision, Project, ProjectAttachment, ProjectImage, Review, Submission

# Paths below /projects/ that are not projects; no project may take their name.
RESERVED_SLUGS = {"neu", "meine", "pruefung", "feed", "atom", "export"}
MAX_IMAGES = 12
MAX_ATTACHMENTS = 10
ATTACHMENT_MAX_BYTES = UPLOAD_MAX_BYTES
ATTACHMENT_KINDS = (PDF, DOCX, XLSX, PPTX, ODT)


class TransitionRefusedError(ValidationError):
    """A step the project's state does not allow (e.g. deciding on a draft)."""


def home_space() -> Space:
    return fachgruppe()


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = german_slugify(title)[:70].strip("-") or "projekt"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("space", "submitted_by").get(pk=project.pk)


# --- Drafting ------------------------------------------------------------


@transaction.atomic
def create_draft(*, by: User, fields: dict, trades=(), topics=()) -> Project:
    if not selectors.can_submit_projects(by):
        raise PermissionDenied
    space = home_space()
    project = Project(space=space, audience=space, submitted_by=by, status=Project.Status.DRAFT, **fields)
    project.slug = unique_slug(project.title)
    project.save()
    project.trades.set(trades)
    project.topics.set(topics)
    return project


@transaction.atomic
def update_project(*, project: Project, by: User, fields: dict, trades=None, topics=None) -> Project:
    """Saves one section. The address (slug) stays as it was, so shared links keep working."""
    project = _locked(project)
    if not access.can_edit_project(by, project):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    if trades is not None:
        project.trades.set(trades)
    if topics is not None:
        project.topics.set(topics)
    return project


@transaction.atomic
def delete_draft(*, project: Project, by: User) -> None:
    project = _locked(project)
    if project.submitted_by_id != by.pk:
        raise PermissionDenied
    if project.status != Project.Status.DRAFT or project.submissions.exists():
        raise TransitionRefusedError(_("Nur ein nie eingereichter Entwurf kann gelöscht werden."))
    audit.record(Action.PROJECT_DRAFT_DELETED, actor=by, target=project, space=project.space)
    for picture in project.images.all():
        _delete_image_files(picture)
    for attachment in project.attachments.all():
        attachment.file.delete(save=False)
    project.delete()


@transaction.atomic
def submit(*, project: Project, by: User) -> Submission:
    """Submits a draft, or resubmits a returned project as the next round."""
    project = _locked(project)
    if project.submitted_by_id != by.pk:
        raise PermissionDenied
    if project.status not in (Project.Status.DRAFT, Project.Status.RETURNED):
        raise TransitionRefusedError(_("Dieses Projekt ist bereits eingereicht."))
    missing = selectors.missing_for_submission(project)
    if missing:
        raise ValidationError(
            _("Zum Einreichen fehlt noch: %(missing)s.")
            % {"missing": ", ".join(label for label, _s in missing)}
        )
    number = (project.submissions.aggregate(last=Max("number"))["last"] or 0) + 1
    submission = Submission.objects.create(
        project=project, number=number, snapshot=snapshot(project), submitted_by=by
    )
    project.status = Project.Status.SUBMITTED
    project.submitted_at = timezone.now()
    project.round = number
    project.save(update_fields=["status", "submitted_at", "round", "updated_at"])
    notify.submitted(project, by=by)
    return submission


def snapshot(project: Project) -> dict:
    """The text of a project as submitted, kept with the submission."""
    return {
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "organisation": str(project.organisation or ""),
        "funding_programme": str(project.funding_programme or ""),
        "starts_on": project.starts_on.isoformat() if project.starts_on else None,
        "ends_on": project.ends_on.isoformat() if project.ends_on else None,
        "region": project.get_region_display() if project.region else "",
        "trades": [trade.name for trade in project.trades.all()],
        "topics": [topic.name for topic in project.topics.all()],
        "contact_name": project.contact_name,
        "contact_email": project.contact_email,
        "contact_phone": project.contact_phone,
        "links": list(project.links),
    }


# --- Pictures and attachments -------------------------------------------


def _require_editor(project: Project, by: User) -> None:
    if not access.can_edit_project(by, project):
        raise PermissionDenied


@transaction.atomic
def add_image(
    *,
    project: Project,
    by: User,
    upload,
    alt_text: str,
    caption: str = "",
    processed: images.ProcessedImage | None = None,
) -> ProjectImage:
    """Adds a picture; `processed` is the upload already run through images.process (by the form)."""
    project = _locked(project)
    _require_editor(project, by)
    if project.images.count() >= MAX_IMAGES:
        raise ValidationError(_("Ein Projekt kann höchstens %(count)s Bilder haben.") % {"count": MAX_IMAGES})
    processed = processed or images.process(upload)
    position = (project.images.aggregate(last=Max("position"))["last"] or 0) + 1
    picture = ProjectImage(
        project=project, alt_text=alt_text.strip(), caption=caption.strip(), position=position
    )
    picture.image.save(processed.image.name, processed.image, save=False)
    picture.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    picture.save()
    return picture


def _delete_image_files(picture: ProjectImage) -> None:
    picture.image.delete(save=False)
    picture.thumbnail.delete(save=False)


@transaction.atomic
def remove_image(*, picture: ProjectImage, by: User) -> None:
    _require_editor(_locked(picture.project), by)
    _delete_image_files(picture)
    picture.delete()


@transaction.atomic
def add_attachment(*, project: Project, by: User, upload, title: str) -> ProjectAttachment:
    project = _locked(project)
    _require_editor(project, by)
    if project.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("Ein Projekt kann höchstens %(count)s Anhänge haben.") % {"count": MAX_ATTACHMENTS}
        )
    kind = validate_upload(upload, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
    attachment = ProjectAttachment(
        project=project,
        title=title.strip() or upload.name,
        original_name=upload.name[-255:],
        content_type=kind.content_type,
        size=upload.size,
    )
    attachment.file.save(f"attachment.{kind.extension}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: ProjectAttachment, by: User) -> None:
    _require_editor(_locked(attachment.project), by)
    attachment.file.delete(save=False)
    attachment.delete()


# --- Review and decision -------------------------------------------------


@transaction.atomic
def save_review(*, project: Project, by: User, scores: dict) -> Review:
    """A coordinator's review of the current round; the first one starts the review."""
    project = _locked(project)
    if not access.can_review(by, project):
        raise PermissionDenied
    if project.status not in (Project.Status.SUBMITTED, Project.Status.IN_REVIEW):
        raise TransitionRefusedError(_("Bewerten lässt sich nur ein eingereichtes Projekt in Prüfung."))
    review, _created = Review.objects.update_or_create(
        project=project, round=project.round, reviewer=by, defaults=scores
    )
    if project.status == Project.Status.SUBMITTED:
        project.status = Project.Status.IN_REVIEW
        project.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def decide(
    *,
    project: Project,
    by: User,
    outcome: str,
    reason: str,
    changes_requested: str = "",
    share_reviews: bool = False,
) -> Decision:
    project = _locked(project)
    if not access.can_review(by, project):
        raise PermissionDenied
    if project.status != Project.Status.IN_REVIEW:
        raise TransitionRefusedError(_("Entscheiden lässt sich nur über ein Projekt in Prüfung."))
    needed, done = selectors.required_reviews(project), project.reviews.filter(round=project.round).count()
    if done < needed:
        raise TransitionRefusedError(
            ngettext(
                "Vor der Entscheidung braucht es mindestens %(needed)d Bewertung (bisher: %(done)d).",
                "Vor der Entscheidung braucht es mindestens %(needed)d Bewertungen (bisher: %(done)d).",
                needed,
            )
            % {"needed": needed, "done": done}
        )
    if outcome not in Decision.Outcome.values:
        raise ValidationError(_("Diese Entscheidung gibt es nicht."))
    if not reason.strip():
        raise ValidationError(_("Bitte begründen Sie die Entscheidung."))
    if outcome == Decision.Outcome.RETURNED and not changes_requested.strip():
        raise ValidationError(_("Bitte schreiben Sie, was überarbeitet werden soll."))
    decision = Decision.objects.create(
        project=project,
        round=project.round,
        outcome=outcome,
        reason=reason.strip(),
        changes_requested=changes_requested.strip(),
        share_reviews=share_reviews,
        decided_by=by,
    )
    before = {"status": project.status}
    project.status = outcome  # the outcomes are named like the states they lead to
    fields = ["status", "updated_at"]
    if outcome == Decision.Outcome.ACCEPTED:
        _publish(project, by=by)
        fields += ["audience", "accepted_at"]
    project.save(update_fields=fields)
    audit.record(
        Action.PROJECT_DECIDED,
        actor=by,
        target=project,
        space=project.space,
        person=project.submitted_by,
        summary=decision.reason,
        before=before,
        after={"status": outcome, "round": project.round}
        | ({"audience": audience_label(None)} if outcome == Decision.Outcome.ACCEPTED else {}),
    )
    notify.decided(project, decision)
    if outcome == Decision.Outcome.ACCEPTED:
        notify.accepted(project, by=by)
    return decision


def _publish(project: Project, *, by: User) -> None:
    previous = project.audience
    project.audience = None
    project.accepted_at = timezone.now()
    record_widening(project, previous=previous, new=None, by=by, audited=False)
