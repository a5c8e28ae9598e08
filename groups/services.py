"""Writes of the groups app: memberships, join requests, invitations, widening, discussions.

Every function is keyword-only, runs in one transaction, validates the change
(raising ValidationError with a translated message) and leaves the ring
caches of the people it touches fresh.
"""

import logging
import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access, notify, selectors
from groups.models import (
    AudienceChange,
    Document,
    DocumentComment,
    DocumentVersion,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    Organisation,
    Post,
    PostRevision,
    Space,
    Thread,
    User,
)
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.limits import UPLOAD_MAX_BYTES
from portal.uploads import DOCUMENT_KINDS, validate_upload

logger = logging.getLogger(__name__)

INVITATION_VALIDITY = timedelta(days=14)


# --- Join requests -------------------------------------------------------


@transaction.atomic
def join_request_create(*, space: Space, user: User, message: str = "") -> JoinRequest:
    if access.is_member(user, space):
        raise ValidationError(_("Sie sind bereits Mitglied in diesem Raum."))
    if space.parent_id and space.parent_id not in access.ring_space_ids(user):
        raise ValidationError(
            _("Bitte treten Sie zuerst dem Raum „%(parent)s“ bei.") % {"parent": space.parent.name}
        )
    if JoinRequest.objects.filter(space=space, user=user, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("Ihre Anfrage für diesen Raum liegt bereits vor."))
    join_request = JoinRequest.objects.create(space=space, user=user, message=message.strip())
    notify.join_requested(join_request)
    return join_request


def _decide(join_request: JoinRequest, *, by: User, status: str, reason: str) -> JoinRequest:
    access.require_coordinator(by, join_request.space)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("Über diese Anfrage wurde bereits entschieden."))
    join_request.status = status
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.reason = reason.strip()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(
        Action.JOIN_APPROVED if status == JoinRequest.Status.APPROVED else Action.JOIN_DECLINED,
        actor=by,
        target=join_request,
        space=join_request.space,
        person=join_request.user,
        target_label=_("Beitrittsanfrage"),
        summary=join_request.reason,
    )
    notify.join_decided(join_request)
    return join_request


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, by: User, reason: str = "") -> Membership:
    _decide(join_request, by=by, status=JoinRequest.Status.APPROVED, reason=reason)
    membership, _created = Membership.objects.get_or_create(space=join_request.space, user=join_request.user)
    access.forget(join_request.user)
    return membership


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, by: User, reason: str) -> JoinRequest:
    if not reason.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."))
    return _decide(join_request, by=by, status=JoinRequest.Status.DECLINED, reason=reason)


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user: User) -> JoinRequest:
    if join_request.user_id != user.pk or join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("Diese Anfrage kann nicht mehr zurückgezogen werden."))
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.save(update_fields=["status"])
    return join_request


# --- Invitations ---------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, space: Space, email: str, by: User, role: str = Membership.Role.MEMBER, message: str = ""
) -> Invitation:
    access.require_coordinator(by, space)
    email = email.strip().lower()
    if Membership.objects.filter(space=space, user__email__iexact=email).exists():
        raise ValidationError(_("Diese Person ist bereits Mitglied in diesem Raum."))
    invitation = Invitation.objects.create(
        space=space,
        email=email,
        role=role,
        message=message.strip(),
        invited_by=by,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    audit.record(
        Action.INVITATION_CREATED,
        actor=by,
        target=invitation,
        space=space,
        person=existing,
        person_label=email,
        target_label=_("Einladung"),
        after={"role": role},
    )
    # The invitation mail itself goes to the address (invitation_send); an existing
    # account also finds the invitation in its notification centre.
    if existing is not None:
        url = reverse("invitation_accept", kwargs={"token": invitation.token})
        notify.invited(space=space, user=existing, by=by, url=url)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not selectors.invitation_is_open(invitation):
        raise ValidationError(_("Diese Einladung ist abgelaufen oder wurde bereits verwendet."))
    # An invitation into an inner space also admits to the rings around it.
    for outer_id in access.ring_chain_ids(invitation.space) - {invitation.space_id}:
        Membership.objects.get_or_create(space_id=outer_id, user=user)
    membership, _created = Membership.objects.get_or_create(
        space=invitation.space, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        Action.INVITATION_ACCEPTED,
        actor=user,
        target=invitation,
        space=invitation.space,
        person=user,
        target_label=_("Einladung"),
        after={"role": membership.role},
    )
    access.forget(user)
    return membership


# --- Memberships ---------------------------------------------------------


# Every membership that ends and every change of role is recorded (MembershipChange) and
# told to the people it concerns, in the same transaction. No space is ever left without
# a coordinator: the rows of its coordinators are locked while that is checked, so two
# coordinators stepping down at the same moment cannot both succeed.


@transaction.atomic
def membership_leave(*, space: Space, user: User) -> None:
    """Leaving a space also leaves every space inside it (their rings lie within)."""
    ending = list(access.memberships_ended_by_leaving(user, space).select_related("space"))
    _require_coordinators_remain(
        ending,
        message=_(
            "Sie sind die einzige Koordination von „%(space)s“. Bitte übertragen Sie die Koordination "
            "zuerst einer anderen Person."
        ),
    )
    _end_memberships(ending, person=user, action=MembershipChange.Action.LEFT, by=user, via=space)
    for membership in ending:
        notify.member_left(space=membership.space, user=user)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    access.require_coordinator(by, membership.space)
    if role not in Membership.Role.values:
        raise ValidationError(_("Unbekannte Rolle."))
    membership = Membership.objects.select_for_update().select_related("space", "user").get(pk=membership.pk)
    before = membership.role
    if role == before:
        return membership
    if before == Membership.Role.COORDINATOR:
        _require_coordinators_remain(
            [membership], message=_("Ein Raum braucht mindestens eine Koordination.")
        )
    membership.role = role
    membership.save(update_fields=["role"])
    MembershipChange.objects.create(
        space=membership.space,
        person=membership.user,
        action=MembershipChange.Action.ROLE_CHANGED,
        role_before=before,
        role_after=role,
        changed_by=by,
    )
    audit.record(
        Action.ROLE_CHANGED,
        actor=by,
        space=membership.space,
        person=membership.user,
        target_label=_("Rolle"),
        before={"role": before},
        after={"role": role},
    )
    notify.role_changed(membership, before=before, by=by)
    access.forget(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Removes the person from the space and from every space inside it.

    Refused while the person is a member of an inner space that `by` does
    not coordinate: ending that membership is for its own coordination (a
    person inside an inner space is inside the rings around it anyway, so
    removing them only from the outer space would change nothing they see).
    """
    access.require_coordinator(by, membership.space)
    if membership.user_id == by.pk:
        raise ValidationError(_("Um selbst auszutreten, nutzen Sie bitte „Raum verlassen“."))
    person = membership.user
    ending = list(access.memberships_ended_by_leaving(person, membership.space).select_related("space"))
    beyond = access.spaces_beyond_their_coordination(by, ending)
    if beyond:
        raise ValidationError(
            _(
                "%(name)s ist auch Mitglied in „%(spaces)s“, das Sie nicht koordinieren. Bitte wenden Sie "
                "sich an die Koordination dort: erst wenn %(name)s dort nicht mehr Mitglied ist, können Sie "
                "die Person aus „%(space)s“ entfernen."
            )
            % {
                "name": person.name,
                "spaces": "“, „".join(space.name for space in beyond),
                "space": membership.space.name,
            }
        )
    _require_coordinators_remain(
        ending,
        message=_(
            "%(name)s ist die einzige Koordination von „%(space)s“. Bitte bestimmen Sie zuerst eine "
            "weitere Koordination."
        ),
        name=person.name,
    )
    space = membership.space
    _end_memberships(ending, person=person, action=MembershipChange.Action.REMOVED, by=by, via=space)
    notify.membership_removed(person=person, space=space, spaces=[m.space for m in ending], by=by)


def _require_coordinators_remain(memberships: list[Membership], *, message: str, name: str = "") -> None:
    """Refuses when ending or demoting `memberships` would leave one of their spaces without a coordinator.

    Counts active coordinators only, under a lock of the coordinators' rows of
    those spaces, so that concurrent changes are decided one after the other.
    """
    going = {m.pk for m in memberships if access.is_coordinator_membership(m)}
    spaces = {m.space_id: m.space for m in memberships if m.pk in going}
    if not spaces:
        return
    remaining = set(
        access.coordinator_memberships()
        .select_for_update(of=("self",))
        .filter(space_id__in=spaces)
        .exclude(pk__in=going)
        .values_list("space_id", flat=True)
    )
    for space_id, space in sorted(spaces.items()):
        if space_id not in remaining:
            raise ValidationError(message % {"space": space.name, "name": name})


def _end_memberships(
    memberships: list[Membership], *, person: User, action: str, by: User, via: Space
) -> None:
    MembershipChange.objects.bulk_create(
        [
            MembershipChange(
                space=m.space,
                via=via if via.pk != m.space_id else None,
                person=person,
                action=action,
                role_before=m.role,
                changed_by=by,
            )
            for m in memberships
        ]
    )
    for m in memberships:
        audit.record(
            Action.MEMBER_LEFT if action == MembershipChange.Action.LEFT else Action.MEMBER_REMOVED,
            actor=by,
            space=m.space,
            person=person,
            target_label=_("Mitgliedschaft"),
            before={"role": m.role},
            after={"via": via.name} if via.pk != m.space_id else None,
        )
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    access.forget(person)


# --- Audience ------------------------------------------------------------


@transaction.atomic
def audience_widen(*, item, by: User):
    """Widens an item's audience by one ring (to the parent space, or to the public) and records it."""
    access.require_coordinator(by, item.space)
    item = type(item)._default_manager.select_for_update().get(pk=item.pk)
    if item.audience_id is None:
        raise ValidationError(_("Dieser Inhalt ist bereits öffentlich."))
    previous = item.audience
    item.audience = access.outer_audience(item)
    item.save(update_fields=["audience"])
    record_widening(item, previous=previous, new=item.audience, by=by)
    notify.widened(item, previous=previous, by=by)
    return item


def record_widening(
    item, *, previous: Space, new: Space | None, by: User, audited: bool = True
) -> AudienceChange:
    """The record of a widening (who, when, from which ring to which); every app writes it through here.

    It is also an entry of the audit log, unless the caller writes a more telling one itself
    (`audited=False`: a publication, a project's acceptance).
    """
    if audited:
        audit.record(
            Action.WIDENED,
            actor=by,
            target=item,
            space=item.space,
            before={"audience": audience_label(previous)},
            after={"audience": audience_label(new)},
        )
    return AudienceChange.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        from_audience=previous,
        to_audience=new,
        changed_by=by,
    )


def audience_label(space: Space | None) -> str:
    """An audience as the audit log names it: the space, or the public."""
    return space.name if space is not None else _("Öffentlichkeit")


# --- Discussions ---------------------------------------------------------


@transaction.atomic
def thread_create(*, space: Space, author: User, title: str, body: str) -> Thread:
    if not access.can_see_space_content(author, space):
        raise PermissionDenied
    thread = Thread.objects.create(space=space, audience=space, author=author, title=title.strip())
    post = Post.objects.create(thread=thread, author=author, body=body)
    notify.thread_created(thread, post)
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author: User, body: str) -> Post:
    if not access.can_contribute(author, thread):
        raise PermissionDenied
    if thread.is_closed:
        raise ValidationError(_("Diese Diskussion ist geschlossen."))
    post = Post.objects.create(thread=thread, author=author, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=post.created_at)
    notify.post_created(thread, post)
    return post


@transaction.atomic
def post_edit(*, post: Post, user: User, body: str) -> Post:
    if post.author_id != user.pk:
        raise PermissionDenied
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body)
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def thread_moderate(
    *, thread: Thread, by: User, pinned: bool | None = None, closed: bool | None = None
) -> Thread:
    access.require_coordinator(by, thread.space)
    fields = []
    if pinned is not None:
        thread.is_pinned = pinned
        fields.append("is_pinned")
    if closed is not None:
        thread.is_closed = closed
        fields.append("is_closed")
    thread.save(update_fields=fields)
    return thread


@transaction.atomic
def thread_move(*, thread: Thread, to_space: Space, by: User) -> Thread:
    """Moves a thread to another space the coordinator runs. Its audience may widen, never narrow."""
    access.require_coordinator(by, thread.space)
    access.require_coordinator(by, to_space)
    audience = thread.audience
    if not access.is_ring_of(audience, space=to_space):
        if not access.move_widens(audience.pk, to_space=to_space):
            raise ValidationError(_("Die Diskussion wäre danach für weniger Personen sichtbar als bisher."))
        record_widening(thread, previous=audience, new=to_space, by=by)
        thread.audience = to_space
    thread.space = to_space
    thread.save(update_fields=["space", "audience"])
    if thread.audience != audience:
        notify.widened(thread, previous=audience, by=by)
    return thread


# --- Documents -----------------------------------------------------------

DOCUMENT_MAX_BYTES = UPLOAD_MAX_BYTES


def _store_version(*, document: Document, upload, by: User, note: str) -> DocumentVersion:
    kind = validate_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    number = (document.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=upload.name[-255:],
        content_type=kind.content_type,
        size=upload.size,
        note=note.strip(),
        uploaded_by=by,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    _enqueue_text_extraction(version.pk)
    return version


def _enqueue_text_extraction(version_id: int) -> None:
    """After the commit a task reads the file's text for the search; without a broker the version is
    simply not found by its content (the `extract_document_texts` command catches up)."""
    from groups.tasks import extract_document_text

    def enqueue():
        try:
            extract_document_text.apply_async(kwargs={"version_id": version_id}, retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure: the command catches up
            logger.warning(
                "document text extraction not enqueued", extra={"version": version_id, "error": repr(exc)}
            )

    transaction.on_commit(enqueue)


@transaction.atomic
def document_create(*, space: Space, by: User, title: str, upload, description: str = "") -> Document:
    if not access.can_see_space_content(by, space):
        raise PermissionDenied
    document = Document.objects.create(
        space=space, audience=space, title=title.strip(), description=description, created_by=by
    )
    _store_version(document=document, upload=upload, by=by, note="")
    return document


@transaction.atomic
def document_add_version(*, document: Document, by: User, upload, note: str = "") -> DocumentVersion:
    if not access.can_contribute(by, document):
        raise PermissionDenied
    version = _store_version(document=document, upload=upload, by=by, note=note)
    Document.objects.filter(pk=document.pk).update(updated_at=version.uploaded_at)
    return version


@transaction.atomic
def document_comment(*, document: Document, author: User, body: str) -> DocumentComment:
    if not access.can_contribute(author, document):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Bitte schreiben Sie einen Kommentar."))
    return DocumentComment.objects.create(document=document, author=author, body=body)


SPACE_INVITATION_MAIL = "groups/space_invitation"


def invitation_send(*, invitation: Invitation, request=None) -> None:
    """Posts the invitation link into the outbox, in the language of the person inviting; a worker
    sends it after the commit (portal.notifications.outbox)."""
    from portal.notifications import outbox

    outbox.post(
        template=SPACE_INVITATION_MAIL,
        recipient=invitation.email,
        params={"invitation": invitation.pk},
        key=f"space-invitation:{invitation.pk}",
    )


def build_invitation_mail(mail):
    """The outbox's builder: the invitation while it is still open."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from portal.email import PortalEmail
    from portal.salutation import salutation

    invitation = Invitation.objects.select_related("space").filter(pk=mail.params["invitation"]).first()
    if invitation is None or not selectors.invitation_is_open(invitation):
        return None
    # The link names the configured site, never the host the request came in on.
    url = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": invitation.token})
    context = {
        "invitation": invitation,
        "url": url,
        "salutation": salutation(),
        "site_url": settings.SITE_URL,
    }
    subject = _("Einladung in den Raum „%(space)s“") % {"space": invitation.space.name}
    message = PortalEmail(
        subject=f"[Fachgruppe Handwerk] {subject}",
        body=render_to_string("groups/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(render_to_string("groups/email/invitation.html", context), "text/html")
    return message


def register_mails() -> None:
    from portal.notifications import outbox

    outbox.register_builder(SPACE_INVITATION_MAIL, build_invitation_mail)


@transaction.atomic
def profile_save(*, profile, new_organisation: str = "", kind: str = ""):
    """Saves a profile form's instance; a person's own organisation missing from the list is added.

    An organisation of that name in any spelling of upper and lower case is the same one: it is
    chosen rather than added twice.
    """
    name = " ".join(new_organisation.split())
    if name:
        profile.organisation, _created = Organisation.objects.get_or_create(
            name__iexact=name, defaults={"name": name, "kind": kind}
        )
    profile.save()
    return profile
