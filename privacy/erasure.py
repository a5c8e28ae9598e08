"""Erasing an account (Art. 17 DSGVO), by its owner or, on their request, by a coordinator or staff.

What is deleted: the sign-in (addresses, password, two-factor, sessions), the
profile, memberships and join requests, preferences, notifications, tokens of
links (calendar feed, unsubscribe), the subscription by mail, the mails to the
address (counted first, portal.notifications.tallies), registrations, date-poll
answers, unfinished project drafts and earlier data exports.

The journal of notification mails stays without its error texts (an error may
quote the address), what still waits is skipped: the dashboard's figures are
counted from it, and the retention deletes it after the rollup counted it.

What others rely on stays: posts and their history, documents and comments,
minutes and the attendance they record, decisions, action items, reviews,
submitted projects. The account row itself stays as a placeholder with the
same id and no personal data (no name, no address, no password, inactive), so
that all of these keep an author, shown as "Ehemaliges Mitglied"
(groups.models.User.__str__, and `|default` in the templates).

The last coordinator of a space cannot be erased: the space would be left
without anyone to run it (`privacy.selectors.erasure_blockers`).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import access
from groups.models import JoinRequest, Membership, Profile, Space, Subscriber, User
from meetings.models import CalendarToken, Participant, PollAnswer, Registration
from portal.audit import services as audit
from portal.models import FormSubmission, OverviewVisit
from portal.notifications import tallies
from portal.notifications.models import (
    Delivery,
    Event,
    Mail,
    Notification,
    Preference,
    Unfollow,
    UnsubscribeToken,
)
from privacy import selectors, signals
from privacy.models import DataExport
from projects.models import Project

ERASED_EMAIL_DOMAIN = "erased.invalid"


def account_erase(*, person: User, actor: User, request=None, on_request: bool = False) -> None:
    """Erases `person`'s account; refused while they are the last coordinator of a space."""
    with transaction.atomic():
        # Under a lock of the person's row and of the coordinators of their spaces: two erasures
        # (or an erasure and a role change) run one after the other.
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise ValidationError(_("Dieses Konto ist bereits gelöscht."))
        list(
            access.coordinator_memberships(active_only=False)
            .select_for_update(of=("self",))
            .filter(space__memberships__user=person)
            .values_list("pk", flat=True)
        )
        blockers = selectors.erasure_blockers(person)
        if blockers:
            raise ValidationError(
                _(
                    "%(name)s ist die letzte Person, die „%(spaces)s“ koordiniert. Bitte übergeben Sie die "
                    "Koordination zuerst an ein anderes Mitglied; danach kann das Konto gelöscht werden."
                )
                % {
                    "name": person.name or person.email,
                    "spaces": "“, „".join(space.name for space in blockers),
                }
            )
        name, email = person.name, person.email
        spaces = list(Space.objects.filter(memberships__user=person).order_by("name"))
        _delete_personal_rows(person)
        _anonymise_kept_rows(person)
        person.email = f"erased-{person.pk}@{ERASED_EMAIL_DOMAIN}"
        person.name = ""
        person.organisation_name = ""
        person.language = "de"
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.last_login = None
        person.erased_at = timezone.now()
        person.set_unusable_password()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()
        access.forget(person)
        signals.account_erased.send(
            sender=User,
            person_id=person.pk,
            name=name,
            email=email,
            actor=actor,
            spaces=spaces,
            request=request,
            on_request=on_request,
        )


def _delete_personal_rows(person: User) -> None:
    address = person.email
    session_keys = list(UserSession.objects.filter(user=person).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    UserSession.objects.filter(user=person).delete()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    Profile.objects.filter(user=person).delete()
    Membership.objects.filter(user=person).delete()
    JoinRequest.objects.filter(user=person).delete()
    Preference.objects.filter(user=person).delete()
    Unfollow.objects.filter(user=person).delete()
    UnsubscribeToken.objects.filter(user=person).delete()
    Notification.objects.filter(user=person).delete()
    CalendarToken.objects.filter(user=person).delete()
    Registration.objects.filter(user=person).delete()
    PollAnswer.objects.filter(user=person).delete()
    FormSubmission.objects.filter(user=person).delete()
    OverviewVisit.objects.filter(user=person).delete()
    Subscriber.objects.filter(email__iexact=address).delete()
    tallies.delete_counted(Mail.objects.filter(recipient__iexact=address))
    for data_export in DataExport.objects.filter(user=person):
        if data_export.file:
            data_export.file.delete(save=False)
        data_export.delete()
    # A draft was never submitted: nobody but its author has seen it or relies on it.
    for project in Project.objects.filter(submitted_by=person, status=Project.Status.DRAFT).prefetch_related(
        "images", "attachments"
    ):
        for image in project.images.all():
            image.image.delete(save=False)
            image.thumbnail.delete(save=False)
        for attachment in project.attachments.all():
            attachment.file.delete(save=False)
        project.delete()


def _anonymise_kept_rows(person: User) -> None:
    deliveries = Delivery.objects.filter(user=person)
    deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.SKIPPED)
    deliveries.exclude(last_error="").update(last_error="")
    # Attendance stays in the minutes; the personal note of the answer goes.
    Participant.objects.filter(user=person).update(note="", email="", name="")
    # A project's contact is whoever its submitter named; when that was the person, the contact goes.
    Project.objects.filter(contact_email__iexact=person.email).update(
        contact_name="", contact_email="", contact_phone=""
    )
    # The admin's own history of the account (its "Recent actions") named it by its name.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(object_repr=audit.former_member_label(person.pk))
    # Events keep what their messages said; the person's name, where it was written in, goes.
    if person.name:
        written_in = Q(actor=person) | Q(data__actor=person.name) | Q(data__title=person.name)
        for event in Event.objects.filter(written_in).only("pk", "data"):
            cleaned = {key: ("" if value == person.name else value) for key, value in event.data.items()}
            if cleaned != event.data:
                Event.objects.filter(pk=event.pk).update(data=cleaned)
