"""Writes of the meetings core: meetings and their states, the agenda, participants and attendance.

Every function is keyword-only, runs in one transaction, refuses what the
coordinator may not do (PermissionDenied) and what makes no sense
(ValidationError with a translated message), and records its event in the
same transaction. `Meeting.sequence` rises with every change a calendar must
pick up. Minutes, polls, registrations and calendars live in their own modules.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import access
from groups.models import Space, User
from meetings import guests, notify, rsvp, selectors
from meetings.minutes import published_record_changed
from meetings.models import AgendaItem, Meeting, Participant
from portal import readcache
from portal.audit import services as audit
from portal.audit.actions import Action

# The fields a coordinator edits, and those of them a calendar shows.
EDITABLE_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "tentative_period",
    "place",
    "video_url",
    "capacity",
    "registration_open",
    "open_to_partners",
)
CALENDAR_FIELDS = {"title", "description", "starts_at", "ends_at", "tentative_period", "place", "video_url"}
# What a guest is written to about when it changes (a guest hears of nothing else by mail).
GUEST_FIELDS = {"title", "starts_at", "ends_at", "tentative_period", "place", "video_url"}


def _check_audience(space: Space, audience: Space | None) -> None:
    """The audience is the home space itself, a space around it, or the public (None)."""
    if not access.is_ring_of(audience, space=space):
        raise ValidationError(
            _("Sichtbar sein kann eine Sitzung nur im eigenen Raum oder in einem Raum darum.")
        )


def _check_times(fields: dict) -> None:
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at is None and not fields.get("tentative_period", "").strip():
        raise ValidationError(
            _("Bitte geben Sie ein Datum oder, wenn der Termin vorläufig ist, den Zeitraum an.")
        )
    if starts_at is None and ends_at is not None:
        raise ValidationError(_("Ein Ende ohne Beginn ist nicht möglich."))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("Das Ende muss nach dem Beginn liegen."))


def _unknown_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")


# --- Meetings ------------------------------------------------------------


@transaction.atomic
def meeting_create(*, by: User, space: Space, audience: Space | None, fields: dict) -> Meeting:
    """A new meeting: planned when it has a start, tentative (with its period) when not."""
    access.require_coordinator(by, space)
    _unknown_fields(fields)
    _check_audience(space, audience)
    _check_times(fields)
    status = Meeting.Status.PLANNED if fields.get("starts_at") else Meeting.Status.TENTATIVE
    if status == Meeting.Status.PLANNED:
        fields = {**fields, "tentative_period": ""}
    meeting = Meeting.objects.create(space=space, audience=audience, status=status, created_by=by, **fields)
    # The coordinator who plans the meeting takes part in it (they can still answer "abgesagt").
    Participant.objects.create(
        meeting=meeting, user=by, name=by.name, organisation=by.organisation_name, email=by.email
    )
    notify.meeting_scheduled(meeting, by=by)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, fields: dict) -> Meeting:
    """Changes the meeting; a tentative meeting that gets a start becomes planned."""
    access.require_coordinator(by, meeting.space)
    _unknown_fields(fields)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Eine abgesagte Sitzung kann nicht mehr geändert werden."))
    merged = {name: getattr(meeting, name) for name in EDITABLE_FIELDS} | fields
    _check_times(merged)
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, fields[name])
    if meeting.status == Meeting.Status.TENTATIVE and meeting.starts_at is not None:
        meeting.status = Meeting.Status.PLANNED
        changed.append("status")
    elif meeting.status == Meeting.Status.PLANNED and meeting.starts_at is None:
        meeting.status = Meeting.Status.TENTATIVE
        changed.append("status")
    if meeting.status != Meeting.Status.TENTATIVE and meeting.tentative_period:
        # A dated meeting has no tentative period (the same as when a date poll fixes it).
        meeting.tentative_period = ""
        if "tentative_period" not in changed:
            changed.append("tentative_period")
    if CALENDAR_FIELDS.intersection(changed) or "status" in changed:
        meeting.sequence += 1
        changed.append("sequence")
    meeting.save(update_fields=[*changed, "updated_at"])
    published_record_changed(meeting=meeting)
    if CALENDAR_FIELDS.intersection(changed):
        notify.meeting_changed(meeting, by=by, what=_describe_change(meeting, changed))
        if GUEST_FIELDS.intersection(changed):
            guests.enqueue_updates(
                meeting=meeting,
                by=by,
                fields=[name for name in EDITABLE_FIELDS if name in GUEST_FIELDS & set(changed)],
            )
    return meeting


def _describe_change(meeting: Meeting, changed: list[str]) -> str:
    labels = [str(Meeting._meta.get_field(name).verbose_name) for name in changed if name in CALENDAR_FIELDS]
    return _("Geändert: %(fields)s") % {"fields": ", ".join(labels)}


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Tentative or planned → cancelled."""
    access.require_coordinator(by, meeting.space)
    if meeting.status not in {Meeting.Status.TENTATIVE, Meeting.Status.PLANNED}:
        raise ValidationError(_("Nur geplante oder vorläufige Sitzungen können abgesagt werden."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    notify.meeting_cancelled(meeting, by=by)
    guests.enqueue_updates(meeting=meeting, by=by)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: User) -> Meeting:
    """Planned → held, once the meeting has begun."""
    access.require_coordinator(by, meeting.space)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Nur eine geplante Sitzung kann als stattgefunden markiert werden."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Die Sitzung hat noch nicht begonnen."))
    meeting.status = Meeting.Status.HELD
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    return meeting


# --- Agenda --------------------------------------------------------------


def _agenda_open(meeting: Meeting, by: User) -> None:
    access.require_coordinator(by, meeting.space)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Die Tagesordnung einer abgesagten Sitzung kann nicht mehr geändert werden."))
    if selectors.agenda_frozen(meeting=meeting):
        raise ValidationError(
            _(
                "Das Protokoll ist veröffentlicht: Die Tagesordnung lässt sich nicht mehr ändern "
                "und nicht erneut versenden."
            )
        )


def _renumber(meeting: Meeting) -> None:
    """Positions 1..n in the current order, after a deletion or a move."""
    for number, item in enumerate(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"), 1):
        if item.position != number:
            AgendaItem.objects.filter(pk=item.pk).update(position=number)


# Shared with meetings.forms, whose field errors say the same.
PRESENTER_TWICE = gettext_lazy(
    "Bitte wählen Sie entweder eine Person mit Konto oder nennen Sie einen Gast, nicht beides."
)
PRESENTER_REFUSED = gettext_lazy(
    "Diese Person kann hier nicht vortragen. Wählen Sie ein Mitglied des Raums "
    "oder eine eingeladene Person aus der Liste."
)
QUESTION_REFUSED = gettext_lazy(
    "Diese Frage lässt sich hier nicht verknüpfen. Wählen Sie eine Frage aus der Liste."
)
PROJECT_REFUSED = gettext_lazy(
    "Dieses Projekt lässt sich hier nicht vorstellen. Wählen Sie ein angenommenes Projekt aus der Liste."
)


def _check_agenda_links(meeting: Meeting, by: User, fields: dict, item: AgendaItem | None = None) -> None:
    """The presenter is someone of the meeting (or a guest by name); the question one `by` may see.

    What the item already links to stays allowed (a presenter who has left the
    space since); it is read from the database, as a form may have changed `item`.
    """
    presenter, question, project = fields.get("presenter"), fields.get("question"), fields.get("project")
    if presenter is not None and fields.get("presenter_name", "").strip():
        raise ValidationError(str(PRESENTER_TWICE))
    kept_presenter = kept_question = kept_project = None
    if item is not None and item.pk is not None:
        kept_presenter, kept_question, kept_project = (
            AgendaItem.objects.filter(pk=item.pk)
            .values_list("presenter_id", "question_id", "project_id")
            .get()
        )
    if presenter is not None:
        people = selectors.meeting_people(meeting=meeting, keep=kept_presenter)
        if not people.filter(pk=presenter.pk).exists():
            raise ValidationError(str(PRESENTER_REFUSED))
    if question is not None:
        questions = selectors.linkable_questions(user=by, meeting=meeting, keep=kept_question)
        if not questions.filter(pk=question.pk).exists():
            raise ValidationError(str(QUESTION_REFUSED))
    linkable_projects = selectors.linkable_projects(user=by, keep=kept_project)
    if project is not None and not linkable_projects.filter(pk=project.pk).exists():
        raise ValidationError(str(PROJECT_REFUSED))


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by: User, fields: dict) -> AgendaItem:
    _agenda_open(meeting, by)
    _check_agenda_links(meeting, by, fields)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    position = AgendaItem.objects.filter(meeting=meeting).count() + 1
    _touch(meeting)
    published_record_changed(meeting=meeting)
    return AgendaItem.objects.create(meeting=meeting, position=position, **fields)


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by: User, fields: dict) -> AgendaItem:
    _agenda_open(item.meeting, by)
    _check_agenda_links(item.meeting, by, fields, item)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save(update_fields=list(fields))
    _touch(item.meeting)
    published_record_changed(meeting=item.meeting)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    meeting = item.meeting
    _agenda_open(meeting, by)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    audit.record(
        Action.AGENDA_ITEM_DELETED,
        actor=by,
        target=item,
        space=meeting.space,
        after={"meeting": meeting.title},
    )
    item.delete()
    _renumber(meeting)
    _touch(meeting)
    published_record_changed(meeting=meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, up: bool) -> AgendaItem:
    """Swaps the item with its neighbour above or below; at either end nothing moves."""
    meeting = item.meeting
    _agenda_open(meeting, by)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    _renumber(meeting)
    item.refresh_from_db(fields=["position"])
    neighbour_position = item.position - 1 if up else item.position + 1
    neighbour = AgendaItem.objects.filter(meeting=meeting, position=neighbour_position).first()
    if neighbour is None:
        return item
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=item.position)
    AgendaItem.objects.filter(pk=item.pk).update(position=neighbour_position)
    item.position = neighbour_position
    _touch(meeting)
    published_record_changed(meeting=meeting)
    return item


def _touch(meeting: Meeting) -> None:
    """The agenda is part of the meeting's calendar entry: its updated_at moves the feeds' validators."""
    meeting.updated_at = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=meeting.updated_at)
    # update() sends no signal: the shared reads of the meeting's page are forgotten here.
    readcache.content_changed()


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: User) -> Meeting:
    """Sends the agenda to the invited accounts; publishing again sends the current version."""
    _agenda_open(meeting, by)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    if not items:
        raise ValidationError(_("Die Tagesordnung ist noch leer."))
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at", "updated_at"])
    audit.record(
        Action.AGENDA_PUBLISHED,
        actor=by,
        target=meeting,
        space=meeting.space,
        after={"agenda": [str(item) for item in items]},
    )
    notify.agenda_published(
        meeting, by=by, agenda="\n".join(f"{item.position}. {item.title}" for item in items)
    )
    return meeting


# --- Participants --------------------------------------------------------


@transaction.atomic
def participant_invite_account(*, meeting: Meeting, by: User, user: User) -> Participant:
    access.require_coordinator(by, meeting.space)
    if not access.can_view(user, meeting):
        raise ValidationError(
            _("%(name)s kann diese Sitzung nicht sehen. Laden Sie die Person zuerst in den Raum ein.")
            % {"name": user.name}
        )
    if Participant.objects.filter(meeting=meeting, user=user).exists():
        raise ValidationError(_("%(name)s ist bereits eingeladen.") % {"name": user.name})
    participant = Participant.objects.create(
        meeting=meeting, user=user, name=user.name, organisation=user.organisation_name, email=user.email
    )
    notify.meeting_invited(meeting, by=by, users=[user])
    published_record_changed(meeting=meeting)
    return participant


@transaction.atomic
def participants_invite(
    *,
    meeting: Meeting,
    by: User,
    spaces=(),
    organisations=(),
    people=(),
    exclude=(),
) -> list[Participant]:
    """Invites whole rings, organisations' members and chosen people at once, minus `exclude`.

    Only people who can see the meeting are invited (a ring beyond its audience,
    or a person outside it, is refused); who is invited already is skipped.
    Every newly invited account hears of it through one event addressed to them all.
    """
    access.require_coordinator(by, meeting.space)
    if meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.HELD}:
        raise ValidationError(_("Zu dieser Sitzung lässt sich niemand mehr einladen."))
    allowed_rings = {space.pk for space in selectors.invitable_rings(meeting=meeting)}
    if any(space.pk not in allowed_rings for space in spaces):
        raise ValidationError(_("Diesen Kreis erreicht die Sitzung nicht: Er kann sie nicht sehen."))
    eligible = selectors.invitable_people(meeting=meeting)
    chosen: set[int] = set()
    for space in spaces:
        chosen |= access.audience_member_ids(space)
    if organisations:
        chosen |= set(
            eligible.filter(profile__organisation__in=list(organisations)).values_list("pk", flat=True)
        )
    wanted = {user.pk for user in people}
    eligible_ids = set(eligible.filter(pk__in=chosen | wanted).values_list("pk", flat=True))
    refused = [user for user in people if user.pk not in eligible_ids]
    if refused:
        raise ValidationError(
            _("%(name)s kann diese Sitzung nicht sehen. Laden Sie die Person zuerst in den Raum ein.")
            % {"name": refused[0].name}
        )
    if not chosen | wanted:
        raise ValidationError(_("Bitte wählen Sie aus, wen Sie einladen möchten."))
    ids = (eligible_ids & (chosen | wanted)) - {user.pk for user in exclude}
    already = set(
        Participant.objects.filter(meeting=meeting, user_id__in=ids).values_list("user_id", flat=True)
    )
    users = list(User.objects.filter(pk__in=ids - already, is_active=True).order_by("pk"))
    participants = Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                user=user,
                name=user.name,
                organisation=user.organisation_name,
                email=user.email,
            )
            for user in users
        ]
    )
    if users:
        readcache.content_changed()  # bulk_create sends no signal
        notify.meeting_invited(meeting, by=by, users=users)
        published_record_changed(meeting=meeting)
    return participants


@transaction.atomic
def participant_invite_guest(
    *, meeting: Meeting, by: User, name: str, organisation: str = "", email: str = "", language: str = ""
) -> Participant:
    access.require_coordinator(by, meeting.space)
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise ValidationError(_("Bitte geben Sie den Namen des Gastes an."))
    if email and Participant.objects.filter(meeting=meeting, email__iexact=email).exists():
        raise ValidationError(_("Diese E-Mail-Adresse ist bereits eingeladen."))
    participant = Participant.objects.create(
        meeting=meeting, name=name, organisation=organisation.strip(), email=email, language=language
    )
    if email:
        guests.enqueue_invitation(participant_id=participant.pk, by_id=by.pk)
    published_record_changed(meeting=meeting)
    return participant


ANSWERS = {Participant.Response.ACCEPTED, Participant.Response.DECLINED, Participant.Response.EXCUSED}


@transaction.atomic
def participant_respond(
    *, participant: Participant, user: User, response: str, note: str = ""
) -> Participant:
    """Zusage, Absage or Entschuldigung: each person answers for themselves, until the meeting is over."""
    if participant.user_id != user.pk:
        raise PermissionDenied
    return _answer(participant, response=response, note=note)


@transaction.atomic
def participant_answer_from_mail(*, token: str, response: str, note: str = "") -> Participant:
    """The answer through the link of an invitation mail: the signed token stands for the person."""
    participant = rsvp.participant_for(token)
    if participant is None:
        raise PermissionDenied
    return _answer(participant, response=response, note=note)


def _answer(participant: Participant, *, response: str, note: str) -> Participant:
    if response not in ANSWERS:
        raise ValidationError(_("Bitte wählen Sie Zusage, Absage oder Entschuldigung."))
    if participant.meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.HELD}:
        raise ValidationError(_("Für diese Sitzung sind keine Rückmeldungen mehr möglich."))
    participant.response = response
    participant.note = note.strip()
    participant.responded_at = timezone.now()
    participant.save(update_fields=["response", "note", "responded_at"])
    published_record_changed(meeting=participant.meeting)
    return participant


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: User, present_ids: set[int]) -> int:
    """After the meeting: who was there (every invited person is marked present or absent)."""
    access.require_coordinator(by, meeting.space)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Eine abgesagte Sitzung hat keine Anwesenheit."))
    if meeting.starts_at is None or meeting.starts_at > timezone.now():
        raise ValidationError(_("Die Anwesenheit lässt sich erst erfassen, wenn die Sitzung begonnen hat."))
    participants = Participant.objects.filter(meeting=meeting)
    participants.filter(pk__in=present_ids).update(attended=True)
    participants.exclude(pk__in=present_ids).update(attended=False)
    readcache.content_changed()  # update() sends no signal
    published_record_changed(meeting=meeting)
    return participants.filter(attended=True).count()
