"""Reads of the meetings core: lists of meetings and one meeting's page, always through groups.access."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from groups import access
from groups.models import Organisation, Question, Space, User
from meetings.models import ActionItem, AgendaItem, DatePoll, Meeting, Minutes, Participant, Registration
from portal import readcache
from portal.pagination import PAGE_SIZE, Page, capped_count
from projects.models import Project

_LINKS = (("linked_question", "question_id"), ("linked_project", "project_id"))
_LINKED_MODELS = {"linked_question": Question, "linked_project": Project}


def _visible(user) -> QuerySet[Meeting]:
    return access.visible_items(Meeting.objects.all(), user).select_related("space", "audience")


def coordinated_meeting_or_404(*, user, pk: int) -> Meeting:
    """The meeting of a coordinator's page (editing, agenda, invitations, minutes, date poll): 404
    for everyone who does not coordinate its home space, as for a meeting that does not exist."""
    return access.get_coordinated_or_404(
        Meeting.objects.select_related("space", "audience", "next_meeting"), user, pk=pk
    )


def _upcoming_rule() -> Q:
    """Tentative meetings, and those not yet over (cancelled ones stay listed so people see it).

    "Not yet over" is `coalesce(ends_at, starts_at) >= now` (the expression of the
    index meeting_until_idx). The rule also carries a range condition on
    starts_at, `starts_at >= bound`, where the bound is the earliest start of a
    meeting still running or of a tentative one (read through meeting_until_idx
    and meeting_tentative_idx, normally just `now`): it changes nothing about
    which meetings match, but lets PostgreSQL start its scan of the starts_at
    index at the upcoming meetings instead of reading all past ones and
    throwing them away for the visibility rule's OR.
    """
    now = timezone.now()
    tentative = Q(status=Meeting.Status.TENTATIVE)
    started = _with_until(Meeting.objects.filter(starts_at__lt=now)).filter(
        (Q(until__gte=now) & ~Q(status=Meeting.Status.HELD)) | tentative
    )
    bound = min(started.aggregate(earliest=Min("starts_at"))["earliest"] or now, now)
    not_over = Q(until__gte=now) & ~Q(status=Meeting.Status.HELD)
    return (Q(starts_at__gte=bound) & (tentative | not_over)) | (Q(starts_at__isnull=True) & tentative)


def _with_until(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.alias(until=Coalesce("ends_at", "starts_at"))


@dataclass
class MeetingList:
    """One page of the list: the upcoming meetings come first (soonest first, tentative ones
    last), then the past ones (latest first); a page may hold the end of one and the start of
    the other."""

    upcoming: list[Meeting]
    past: list[Meeting]
    page: Page
    spaces: list[Space]
    space: Space | None


def meeting_list(
    *, user, space: Space | None = None, number: int = 1, page_size: int = PAGE_SIZE
) -> MeetingList:
    """Page `number` of the meetings the person may see; Http404 for a page past the end.

    A constant number of queries: the upcoming count (an index range), at most one
    page of each part, the capped count of the past ones and the filter's spaces.
    """
    meetings = _with_until(_visible(user))
    if space is not None:
        meetings = meetings.filter(space=space)
    upcoming_rule = _upcoming_rule()
    upcoming_rows = meetings.filter(upcoming_rule).order_by("starts_at", "pk")
    past_rows = meetings.exclude(upcoming_rule).order_by("-starts_at", "-pk")
    upcoming_count = capped_count(upcoming_rows)
    offset = (number - 1) * page_size
    upcoming = list(upcoming_rows[offset : offset + page_size]) if offset < upcoming_count else []
    room = page_size - len(upcoming)
    past_offset = max(0, offset - upcoming_count)
    past = list(past_rows[past_offset : past_offset + room + 1])
    has_next = offset + page_size < upcoming_count or len(past) > room
    past = past[:room]
    if number > 1 and not upcoming and not past:
        raise Http404
    return MeetingList(
        upcoming=upcoming,
        past=past,
        page=Page(
            rows=upcoming + past,
            number=number,
            has_next=has_next,
            count=upcoming_count + capped_count(past_rows),
            page_size=page_size,
        ),
        spaces=list(
            access.visible_spaces(user).filter(
                Exists(access.visible_items(Meeting.objects.filter(space=OuterRef("pk")), user))
            )
        ),
        space=space,
    )


def upcoming_meetings(*, user, limit: int = 3, space: Space | None = None) -> list[Meeting]:
    """The next meetings the person may see, tentative ones (with their period) after the dated ones
    (a shared read: the same for everyone of the person's standing)."""

    def build() -> list[Meeting]:
        meetings = _with_until(_visible(user)).filter(_upcoming_rule())
        meetings = meetings.exclude(status=Meeting.Status.CANCELLED)
        if space is not None:
            meetings = meetings.filter(space=space)
        return list(meetings.order_by("starts_at", "pk")[:limit])

    space_key = space.pk if space is not None else "-"
    return readcache.shared_read("upcoming_meetings", limit, space_key, user=user, build=build)


def project_presentations(*, user, project: Project) -> list[AgendaItem]:
    """The agenda items where a model project is (or was) presented, as far as `user` may see their
    meetings, newest meeting first (a shared read: meetings follow the ring alone)."""

    def build() -> list[AgendaItem]:
        meetings = access.visible_items(Meeting.objects.all(), user)
        return list(
            AgendaItem.objects.filter(project=project, meeting__in=meetings)
            .select_related("meeting")
            .order_by("-meeting__starts_at")
        )

    return readcache.shared_read("presentations", project.pk, user=user, build=build)


def project_agenda_candidates(*, user) -> QuerySet[Meeting]:
    """Upcoming (or still undated) meetings `user` coordinates and may put a model project on."""
    return (
        access.visible_items(Meeting.objects.all(), user)
        .filter(
            space_id__in=access.coordinated_space_ids(user),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.TENTATIVE],
        )
        .filter(Q(starts_at__gte=timezone.now()) | Q(starts_at__isnull=True))
        .select_related("space")
        .order_by("starts_at")
    )


def my_upcoming_meetings(*, user, limit: int) -> list[Meeting]:
    """The next meetings of the person's own: those they are invited or registered to, and those
    of the spaces whose ring they are inside; dated ones first, tentative ones after them.

    Each carries `my_participant` (the id of their invitation or None), `my_response`,
    `my_note`, `my_registration` (a Registration status or None) and `total` (how many
    there are in all), in one query however many there are.
    """
    if not user.is_authenticated:
        return []
    invitation = Participant.objects.filter(meeting=OuterRef("pk"), user=user)
    registration = Registration.objects.filter(
        meeting=OuterRef("pk"),
        user=user,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
    )
    meetings = (
        _with_until(_visible(user))
        .filter(_upcoming_rule())
        .exclude(status=Meeting.Status.CANCELLED)
        .defer("description", "description_html")
        .annotate(
            my_participant=Subquery(invitation.values("pk")[:1]),
            my_response=Subquery(invitation.values("response")[:1]),
            my_note=Subquery(invitation.values("note")[:1]),
            my_registration=Subquery(registration.values("status")[:1]),
        )
    )
    if not access.sees_everything(user):
        own = Q(space_id__in=access.ring_space_ids(user)) | Q(my_participant__isnull=False)
        meetings = meetings.filter(own | Q(my_registration__isnull=False))
    return list(
        meetings.annotate(total=Window(Count("pk"))).order_by(F("starts_at").asc(nulls_last=True), "pk")[
            :limit
        ]
    )


def minutes_to_publish(*, user, limit: int) -> list[Meeting]:
    """Held meetings of the spaces the person coordinates whose minutes are not yet published,
    the latest first, each with `total` (how many in all)."""
    published = Minutes.objects.filter(meeting=OuterRef("pk"), status=Minutes.Status.PUBLISHED)
    meetings = (
        _visible(user)
        .filter(space_id__in=access.coordinated_space_ids(user), status=Meeting.Status.HELD)
        .exclude(Exists(published))
        .defer("description", "description_html")
        .annotate(total=Window(Count("pk")))
    )
    return list(meetings.order_by(F("starts_at").desc(nulls_last=True), "-pk")[:limit])


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    participants: list[Participant]
    carried_action_items: list[ActionItem]
    can_coordinate: bool
    can_see_link: bool
    my_participation: Participant | None = None
    counts: dict[str, int] = field(default_factory=dict)
    agenda_frozen: bool = False
    poll: DatePoll | None = None
    # What of the page depends on the reader's own rights (agenda links to their own question or
    # project): part of the key of the page's shared fragment.
    own_links_key: str = ""


@dataclass
class _SharedMeetingPage:
    """What everyone of one standing sees alike on a meeting's page (meeting visibility is the
    ring's alone); the agenda's links resolved through the standing, with the ids it left open."""

    meeting: Meeting
    agenda: list[AgendaItem]
    participants: list[Participant]
    carried_action_items: list[ActionItem]
    counts: dict[str, int]
    unresolved_links: dict[str, set[int]]
    # Read with the rest so that a page without a poll, or a coordinator's page, asks nothing more.
    poll: DatePoll | None
    minutes_published: bool


def agenda_frozen(*, meeting: Meeting) -> bool:
    """Published minutes record the agenda as it was held: it is no longer changed or sent again."""
    return Minutes.objects.filter(meeting=meeting, status=Minutes.Status.PUBLISHED).exists()


def meeting_detail(*, user, pk: int) -> MeetingPage:
    """A meeting's page: a shared read (portal/readcache.py) of what everyone of the reader's
    standing sees, plus their own answer, the video link and agenda links to what is theirs."""
    shared = readcache.shared_read(
        "meeting_detail", pk, user=user, build=lambda: _shared_meeting_page(user=user, pk=pk)
    )
    meeting, agenda = shared.meeting, shared.agenda
    own_links = _resolve_own_links(agenda, shared.unresolved_links, user=user)
    my_participation = next(
        (p for p in shared.participants if user.is_authenticated and p.user_id == user.pk), None
    )
    can_coordinate = access.can_coordinate(user, meeting.space)
    return MeetingPage(
        meeting=meeting,
        agenda=agenda,
        participants=shared.participants,
        carried_action_items=shared.carried_action_items,
        can_coordinate=can_coordinate,
        can_see_link=bool(meeting.video_url)
        and access.can_see_meeting_link(user, meeting, takes_part=my_participation is not None),
        my_participation=my_participation,
        counts=shared.counts,
        agenda_frozen=can_coordinate and shared.minutes_published,
        own_links_key=own_links,
        poll=shared.poll,
    )


def _shared_meeting_page(*, user, pk: int) -> _SharedMeetingPage:
    meeting = access.get_visible_or_404(_visible(user).select_related("created_by"), user, pk=pk)
    participants = list(
        Participant.objects.filter(meeting=meeting).select_related("user").order_by("name", "pk")
    )
    counts = {}
    for participant in participants:
        counts[participant.response] = counts.get(participant.response, 0) + 1
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("presenter").order_by("position", "pk")
    )
    with_linked_items(agenda, visible=lambda rows: access.visible_through_standing(rows, user))
    unresolved = {}
    for attribute, key in _LINKS:
        ids = {
            getattr(item, key)
            for item in agenda
            if getattr(item, key) is not None and not getattr(item, attribute)
        }
        if ids:
            unresolved[attribute] = ids
    return _SharedMeetingPage(
        meeting=meeting,
        agenda=agenda,
        participants=participants,
        carried_action_items=carried_action_items(user=user, meeting=meeting),
        counts=counts,
        unresolved_links=unresolved,
        poll=DatePoll.objects.filter(meeting=meeting).first(),
        minutes_published=agenda_frozen(meeting=meeting),
    )


def _resolve_own_links(agenda: list[AgendaItem], unresolved: dict[str, set[int]], *, user) -> str:
    """Links the standing left open that the person sees by their own right (a question they asked,
    a project they submitted); one query per such kind, none on most pages. Answers a key of them."""
    if not unresolved or not user.is_authenticated:
        return ""
    found = []
    for attribute, key in _LINKS:
        ids = unresolved.get(attribute)
        if not ids:
            continue
        model = _LINKED_MODELS[attribute]
        rows = {row.pk: row for row in access.visible_items(model.objects.filter(pk__in=ids), user)}
        for item in agenda:
            row = rows.get(getattr(item, key))
            if row is not None:
                setattr(item, attribute, row)
                found.append(f"{attribute}={row.pk}")
    return "-".join(sorted(set(found)))


def carried_action_items(*, user, meeting: Meeting) -> list[ActionItem]:
    """Open action items of the space's earlier meetings the person may see: they come up again."""
    earlier = access.visible_items(Meeting.objects.filter(space_id=meeting.space_id), user).exclude(
        pk=meeting.pk
    )
    earlier = earlier.filter(starts_at__lt=meeting.starts_at or timezone.now())
    return list(
        ActionItem.objects.filter(
            meeting__in=earlier, status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
        )
        .select_related("meeting")
        .prefetch_related("assignees")
        .order_by("due_date", "meeting__starts_at", "pk")
    )


def with_linked_items(items: list[AgendaItem], *, user=None, visible=None) -> list[AgendaItem]:
    """Sets `linked_question` and `linked_project` on each item: what it links to when the person
    may see it (or what `visible`, a queryset filter, keeps), None otherwise.

    One query per kind for all items (none when no item links one); a hidden
    question or project is not loaded at all, so nothing of it can reach the page.
    """
    for attribute, key in _LINKS:
        model = _LINKED_MODELS[attribute]
        ids = {getattr(item, key) for item in items if getattr(item, key) is not None}
        found = {}
        if ids:
            rows = model.objects.filter(pk__in=ids)
            rows = visible(rows) if visible is not None else access.visible_items(rows, user)
            found = {row.pk: row for row in rows}
        for item in items:
            setattr(item, attribute, found.get(getattr(item, key)))
    return items


def meeting_people(*, meeting: Meeting, keep: int | None = None) -> QuerySet[User]:
    """Accounts that can present an item or take on a task: the home space's ring and the participants.

    `keep` is a person already chosen, who stays a choice when they have left since.
    """
    ids = access.audience_member_ids(meeting.space) | set(
        meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    chosen = Q(pk__in=ids, is_active=True)
    if keep is not None:
        chosen |= Q(pk=keep)
    return User.objects.filter(chosen).order_by("name", "pk")


LINKABLE_QUESTION_STATUSES = (Question.Status.SUBMITTED, Question.Status.ACCEPTED, Question.Status.ANSWERED)


def linkable_questions(*, user, meeting: Meeting, keep: int | None = None) -> QuerySet[Question]:
    """Questions brought to the meeting's space that the person may see and that are still live.

    Merged and declined questions are left out; `keep` is the question an item
    already links to, which stays a choice while the person may still see it.
    """
    live = Q(space_id=meeting.space_id, status__in=LINKABLE_QUESTION_STATUSES)
    if keep is not None:
        live |= Q(pk=keep)
    return access.visible_items(Question.objects.filter(live), user).order_by("-created_at", "-pk")


def linkable_projects(*, user, keep: int | None = None) -> QuerySet[Project]:
    """Accepted model projects the person may see (and the one an item already presents)."""
    live = Q(status=Project.Status.ACCEPTED)
    if keep is not None:
        live |= Q(pk=keep)
    return access.visible_items(Project.objects.filter(live), user).order_by("title", "pk")


def agenda_item_of(*, meeting: Meeting, pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=pk)


def coordinated_spaces(*, user) -> QuerySet[Space]:
    """The spaces in which the person may plan meetings."""
    return access.coordinated_spaces(user)


def invitable_rings(*, meeting: Meeting) -> list[Space]:
    """The rings a coordinator can invite as a whole: the home space and those around it up to the audience.

    A ring beyond the audience could not see the meeting; a public meeting
    reaches every ring around its home space.
    """
    return access.rings_out_to(meeting.space, meeting.audience)


def invitable_people(*, meeting: Meeting) -> QuerySet[User]:
    """Active accounts that can see the meeting through its widest invitable ring."""
    widest = invitable_rings(meeting=meeting)[-1]
    return User.objects.filter(pk__in=access.audience_member_ids(widest), is_active=True).order_by(
        "name", "pk"
    )


def invited_people(*, meeting: Meeting) -> list[User]:
    """The accounts already invited to the meeting, by name: marked on the invitation page."""
    return list(
        User.objects.filter(participations__meeting=meeting).order_by("name", "pk").only("pk", "name")
    )


def invitable_organisations(*, meeting: Meeting) -> QuerySet:
    """Organisations with at least one person who could be invited."""
    people = invitable_people(meeting=meeting)
    return Organisation.objects.filter(profiles__user__in=people).distinct().order_by("name")
