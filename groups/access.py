"""The ring rules: who may see what. The only door; every app's selectors go through it.

A person is *inside* a space's ring when they are a member of that space or of
any space inside it (README.md, "Architecture"). A ring item (groups.models.RingItem)
is visible to everyone inside its audience space, or to the public when its
audience is empty. A question is also visible to the person who asked it, and
to the askers of the questions merged into it, wherever they stand (a partner
outside the Fachgruppe follows what became of their question). A model project
(projects.Project) is under review until it is accepted: before that it
belongs only to its submitter and the coordinators of its home space. Staff see
everything. Anything else does not exist for the person: object lookups answer
404 exactly as for an id that does not exist. A deactivated account counts
nowhere: whatever memberships and roles it still has on record, it is asked
about as the public is.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Model, Q, QuerySet
from django.http import Http404

from groups.models import Membership, Question, Space, User

_CACHE_ATTRIBUTE = "_ring_standing"
_PUBLIC = Q(audience__isnull=True)  # items of the outermost ring, the public
_PROJECT_LABEL = "projects.project"


def _active(user) -> bool:
    """A signed-in, active account: the only kind whose memberships and roles count."""
    return user.is_authenticated and user.is_active


@dataclass(frozen=True)
class _Standing:
    """Where one person stands in the space tree; computed once per request (cached on the user)."""

    ring: frozenset[int]  # spaces whose ring they are inside
    member: frozenset[int]  # spaces they are a member of
    coordinated: frozenset[int]  # spaces they coordinate (all of them for staff)
    around: frozenset[int]  # spaces around a space they are a member of


def _standing(user) -> _Standing:
    """The space tree and the person's memberships in a single query, cached on the user object:
    every page asks the rule book several times, and each answer used to be a query of its own."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    rows = Space.objects.annotate(
        mine=FilteredRelation("memberships", condition=Q(memberships__user=user))
    ).values_list("pk", "parent_id", "mine__role")
    parents, roles = {}, {}
    for pk, parent_id, role in rows:
        parents[pk] = parent_id
        if role is not None:
            roles[pk] = role
    around = frozenset().union(*(_outward(parents, parents.get(space_id)) for space_id in roles))
    if user.is_staff:
        everything = frozenset(parents)
        standing = _Standing(ring=everything, member=frozenset(roles), coordinated=everything, around=around)
    else:
        coordinated = frozenset(pk for pk, role in roles.items() if role == Membership.Role.COORDINATOR)
        standing = _Standing(
            ring=frozenset(roles) | around, member=frozenset(roles), coordinated=coordinated, around=around
        )
    setattr(user, _CACHE_ATTRIBUTE, standing)
    return standing


def ring_space_ids(user) -> frozenset[int]:
    """The ids of the spaces whose ring `user` is inside (cached on the user object)."""
    if not _active(user):
        return frozenset()
    return _standing(user).ring


def coordinated_space_ids(user) -> frozenset[int]:
    """The ids of the spaces `user` coordinates (all of them for staff; cached on the user object)."""
    if not _active(user):
        return frozenset()
    return _standing(user).coordinated


def spaces_around_own_circles(user) -> frozenset[int]:
    """The ids of the spaces around a space `user` is a member of (its parent, the parent's
    parent, ...): the rings around their own circles (cached on the user object)."""
    if not _active(user):
        return frozenset()
    return _standing(user).around


def member_space_ids(user) -> frozenset[int]:
    """The ids of the spaces `user` is a member of (cached on the user object)."""
    if not _active(user):
        return frozenset()
    return _standing(user).member


def standing_key(user) -> str:
    """A short text that is equal for two people exactly when the rule book lets them see the same
    ring content and coordinate the same spaces (the key of reads shared between them)."""
    if not _active(user):
        return "public"
    standing = _standing(user)
    ring = ".".join(map(str, sorted(standing.ring)))
    coordinated = ".".join(map(str, sorted(standing.coordinated)))
    return f"{'staff' if user.is_staff else 'in'}-{ring}-c{coordinated}"


def forget(user) -> None:
    """Drop the cached standing, after the person's memberships changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def visible_spaces(user) -> QuerySet[Space]:
    """Spaces whose content `user` may see."""
    return Space.objects.filter(pk__in=ring_space_ids(user))


def visible_items(queryset: QuerySet, user) -> QuerySet:
    """Filters any queryset of ring items to what `user` may see."""
    if _active(user) and user.is_staff:
        return queryset
    rule = _standing_rule(queryset.model, user)
    if _active(user):
        if queryset.model is Question:
            rule |= asked_by_them(user)
        elif queryset.model._meta.label_lower == _PROJECT_LABEL:
            rule |= Q(submitted_by=user)
    return queryset.filter(rule)


def visible_through_standing(queryset: QuerySet, user) -> QuerySet:
    """What visible_items shows `user` through their standing alone (standing_key), the same for
    everyone of that standing: without what they see by their own right (the questions they
    asked, the projects they submitted). For reads that are shared between such people."""
    if _active(user) and user.is_staff:
        return queryset
    return queryset.filter(_standing_rule(queryset.model, user))


def _standing_rule(model, user) -> Q:
    rule = _PUBLIC | Q(audience_id__in=ring_space_ids(user))
    if model._meta.label_lower == _PROJECT_LABEL:
        # Accepted projects follow the ring; the others are the coordinators' (and their submitter's).
        rule = Q(status="accepted") & rule
        if _active(user):
            rule |= Q(space_id__in=coordinated_space_ids(user))
    return rule


def visible_to_audience(queryset: QuerySet, item) -> QuerySet:
    """What every person who may see `item` may see of `queryset`, however little that is.

    For what all readers of an item share (the stored minutes PDF): items of
    the item's audience ring or of a ring around it (rule 1: whoever is inside
    a ring is inside every ring around it), or public ones; projects only once
    accepted. Nothing reaches it through a reader's own rights (an asker, a
    submitter, a coordinator, staff).
    """
    rule = _PUBLIC | Q(audience_id__in=ring_chain_ids(item.audience))
    if queryset.model._meta.label_lower == _PROJECT_LABEL:
        rule &= Q(status="accepted")
    return queryset.filter(rule)


def asked_by_them(user) -> Q:
    """Questions `user` asked, and those their questions were merged into: theirs to follow from anywhere."""
    merged_into = Question.objects.filter(asked_by=user, merged_into__isnull=False).values("merged_into_id")
    return Q(asked_by=user) | Q(pk__in=merged_into)


def can_view(user, item: Model) -> bool:
    """The object check, defined through the queryset so that both always agree."""
    return visible_items(type(item)._default_manager.filter(pk=item.pk), user).exists()


def get_visible_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """The lookup every object view uses: missing and hidden answer the same 404."""
    try:
        return visible_items(queryset, user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def can_contribute(user, item) -> bool:
    """Replying or commenting: people inside the item's audience ring (for public items: the home space)."""
    if not _active(user):
        return False
    if user.is_staff:
        return True
    ring = item.audience_id if item.audience_id is not None else item.space_id
    return ring in ring_space_ids(user)


def can_see_space_content(user, space: Space) -> bool:
    return space.pk in ring_space_ids(user)


def is_member(user, space: Space) -> bool:
    return space.pk in member_space_ids(user)


def can_coordinate(user, space: Space) -> bool:
    """Coordinators of a space (and staff) run it: members, meetings, minutes, widening."""
    return space.pk in coordinated_space_ids(user)


def require_coordinator(user, space: Space) -> None:
    """The guard of every coordinator's write: PermissionDenied (a 403) for anyone else."""
    if not can_coordinate(user, space):
        raise PermissionDenied


def get_coordinated_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """The lookup of a coordinator's page of an item: the item is visible to `user` and at home in a
    space they coordinate. Everyone else gets the 404 of an item that does not exist."""
    item = get_visible_or_404(queryset, user, **lookup)
    if not can_coordinate(user, item.space):
        raise Http404
    return item


def erasable_account_ids(by, user_ids) -> set[int]:
    """Which of `user_ids` `by` may erase on the person's request, in one query: staff any account
    but their own; a coordinator a non-staff account whose every membership lies in a space they
    coordinate (as with a removal, nobody acts on a space beyond their coordination).

    Nobody erases their own account this way (they have their own page), nor an erased one.
    """
    if not _active(by):
        return set()
    candidates = User.objects.filter(pk__in=list(user_ids), erased_at__isnull=True).exclude(pk=by.pk)
    if not by.is_staff:
        coordinated = coordinated_space_ids(by)
        beyond = Membership.objects.exclude(space_id__in=coordinated).values("user_id")
        candidates = candidates.filter(is_staff=False, memberships__space_id__in=coordinated).exclude(
            pk__in=beyond
        )
    return set(candidates.values_list("pk", flat=True).distinct())


def can_erase_account(by, person) -> bool:
    """Defined through `erasable_account_ids`, so that the member list and the page cannot disagree."""
    return person.pk in erasable_account_ids(by, [person.pk])


def coordination_scope(queryset: QuerySet, *, space: Space) -> QuerySet:
    """The items at home in `space`: what the space's dashboard and activity report count and list.

    Every coordinator of the space may see all of them (content only ever widens outward from its
    home, and a project under review belongs to its home space's coordinators), so the figures are
    the same for each of them and a stored report may be shared among them. Items at home in a
    space inside it never count here, even when shared outward. Callers check can_coordinate first.
    """
    return queryset.filter(space=space)


def memberships_ended_by_leaving(user, space: Space) -> QuerySet[Membership]:
    """The person's memberships that leaving `space` ends: in it and in every space inside it
    (their rings lie within; a member of an inner space stays inside every ring around it)."""
    return Membership.objects.filter(user=user, space_id__in=space_and_descendant_ids(space))


def spaces_beyond_their_coordination(by, memberships) -> list[Space]:
    """The spaces of `memberships` that `by` does not coordinate.

    A coordinator acts only on the spaces they coordinate: they may not end
    a membership there, not even through the cascade of a removal from a
    space around it (the inner circle's coordination decides who is in it).
    """
    coordinated = coordinated_space_ids(by)
    return [membership.space for membership in memberships if membership.space_id not in coordinated]


def audience_member_ids(audience: Space | None, *, joined_before=None) -> set[int]:
    """Ids of the active accounts inside an audience ring, for notifications.

    The public ring (None) reaches no account through this door: what is
    published reaches the public through feeds and subscriptions. With
    `joined_before`, only people who were already inside at that moment.
    """
    if audience is None:
        return set()
    memberships = Membership.objects.filter(
        space_id__in=space_and_descendant_ids(audience), user__is_active=True
    )
    if joined_before is not None:
        memberships = memberships.filter(joined_at__lte=joined_before)
    return set(memberships.values_list("user_id", flat=True))


def mention_ring(thread) -> Space:
    """The ring whose people a post in this thread may mention: everyone who can read it."""
    return thread.audience or thread.space


def mentionable_people(ring: Space) -> QuerySet[User]:
    """The active accounts a post in this ring may mention, and so notify: the people inside it.

    Mentions are parsed with it (groups.notify) and names are suggested from it while typing,
    so nobody outside the ring is ever suggested or told.
    """
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(space_id__in=space_and_descendant_ids(ring)).values("user_id"),
    )


def coordinator_ids(space: Space) -> set[int]:
    return set(coordinator_memberships().filter(space=space).values_list("user_id", flat=True))


def space_and_descendant_ids(space: Space) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Space.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = set(), [space.pk]
    while frontier:
        current = frontier.pop()
        found.add(current)
        frontier.extend(children.get(current, []))
    return found


def outer_audience(item) -> Space | None:
    """The next ring outward of an item's audience: its parent space, or the public (None)."""
    if item.audience_id is None:
        raise ValueError("A public item cannot be widened further.")
    return item.audience.parent


# --- The space tree ------------------------------------------------------
# Every walk up or down the tree by `parent` is written here, once: outward below and in _standing
# (which reads the whole tree with the person's memberships in one query), inward in
# space_and_descendant_ids.


def _outward(parents: dict[int, int | None], space_id: int | None) -> set[int]:
    """`space_id` and the ids of the spaces around it, from a {space: parent} map of the tree."""
    found = set()
    while space_id is not None and space_id not in found:
        found.add(space_id)
        space_id = parents.get(space_id)
    return found


def ring_chain(space: Space | None) -> list[Space]:
    """The space and every space around it, innermost first: the audiences an item at home in
    `space` may have besides the public. Follows the loaded `parent` relations (select_related
    "parent__parent" reads them with the space)."""
    chain = []
    while space is not None:
        chain.append(space)
        space = space.parent
    return chain


def ring_chain_ids(space: Space | None) -> set[int]:
    """The ids of ring_chain(space)."""
    return {ring.pk for ring in ring_chain(space)}


def rings_out_to(space: Space, audience: Space | None) -> list[Space]:
    """The home space and the rings around it, out to `audience` (all of them for a public item):
    the rings whose members may see an item of that home and audience, innermost first."""
    rings = []
    for ring in ring_chain(space):
        rings.append(ring)
        if audience is not None and ring.pk == audience.pk:
            break
    return rings


def is_ring_of(audience: Space | None, *, space: Space) -> bool:
    """Whether an item at home in `space` may have `audience`: the space, one around it, or the public."""
    return audience is None or audience.pk in ring_chain_ids(space)


def move_widens(audience_id: int | None, *, to_space: Space) -> bool:
    """Whether an item of `audience_id`, moved into `to_space`, must widen to `to_space`: its audience
    lies inside `to_space` (so it would be narrower than the new home), not on the ring chain."""
    if audience_id is None or audience_id in ring_chain_ids(to_space):
        return False
    return audience_id in space_and_descendant_ids(to_space)


# --- Staff, coordinators, the public ---------------------------------------


def sees_everything(user) -> bool:
    """Site staff (an active account): they see and run every space, whatever their memberships."""
    return _active(user) and user.is_staff


def coordinates_any_space(user) -> bool:
    """Staff, or the coordinator of at least one space: who has a coordinator's duties (two-factor
    sign-in, the coordination's notifications, the audit log)."""
    return sees_everything(user) or bool(coordinated_space_ids(user))


def coordinated_spaces(user) -> QuerySet[Space]:
    """The spaces `user` coordinates (every space for staff; none for a deactivated account)."""
    return Space.objects.filter(pk__in=coordinated_space_ids(user))


def coordinator_memberships(*, active_only: bool = True) -> QuerySet[Membership]:
    """Memberships with the coordinator role; with `active_only` those of active accounts, the
    people who coordinate (a deactivated account coordinates nothing, whatever its record says)."""
    memberships = Membership.objects.filter(role=Membership.Role.COORDINATOR)
    return memberships.filter(user__is_active=True) if active_only else memberships


def is_coordinator_membership(membership: Membership) -> bool:
    """Whether the record carries the coordinator role (as stored, whatever the account's state)."""
    return membership.role == Membership.Role.COORDINATOR


def coordinators_of(space: Space) -> QuerySet[User]:
    """The people who coordinate `space`: active accounts with the coordinator role there."""
    return User.objects.filter(
        pk__in=coordinator_memberships().filter(space=space).values("user_id"), is_active=True
    )


def items_of_space(queryset: QuerySet, *, user, space: Space) -> QuerySet:
    """What a space's pages list of `queryset`: items at home in it and items shared into it from a
    space inside it, as far as `user` may see them."""
    return visible_items(queryset.filter(Q(space=space) | Q(audience=space)), user)


def public_items(queryset: QuerySet) -> QuerySet:
    """The items of `queryset` everyone may see, with or without an account (the public ring)."""
    return queryset.filter(_PUBLIC)


# --- Meetings ------------------------------------------------------------


def is_participant(user, meeting) -> bool:
    return _active(user) and meeting.participants.filter(user=user).exists()


def can_see_meeting_link(user, meeting, *, takes_part: bool | None = None) -> bool:
    """The video link: for participants and for people inside the meeting's ring, never for the public.

    `takes_part` is for a page that has read the meeting (visible to the person) and its
    participants already: the same rule as meetings_with_visible_link, without a query.
    """
    if takes_part is None:
        return meeting.pk in meetings_with_visible_link(user, [meeting])
    if not _active(user):
        return False
    if user.is_staff or takes_part:
        return True
    rings = ring_space_ids(user)
    return meeting.audience_id in rings or (meeting.audience_id is None and meeting.space_id in rings)


def meetings_with_visible_link(user, meetings) -> set[int]:
    """The ids of those `meetings` whose video link `user` may see, in one query however many there are.

    The rule of can_see_meeting_link (which is defined through this): the
    meeting is visible to the person, and they take part in it or are inside
    its ring (its audience, or the home space of a public meeting).
    """
    ids = [meeting.pk for meeting in meetings]
    if not ids or not _active(user):
        return set()
    model = type(meetings[0])
    visible = visible_items(model._default_manager.filter(pk__in=ids), user)
    if not user.is_staff:
        rings = ring_space_ids(user)
        inside = Q(audience_id__in=rings) | Q(audience__isnull=True, space_id__in=rings)
        visible = visible.filter(inside | Q(participants__user=user))
    return set(visible.values_list("pk", flat=True).distinct())


def guest_sees_meeting_link(participant) -> bool:
    """An invited guest without an account is a participant: their invitation mail carries the link."""
    return participant.user_id is None and participant.meeting_id is not None


_PUBLISHED_MINUTES = "published"  # meetings.Minutes.Status.PUBLISHED (the rule book imports no feature)


def can_see_minutes(user, minutes, *, meeting_visible: bool = False, drafts: bool = True) -> bool:
    """Published minutes follow their meeting; drafts are for the home space's coordinators only.

    `meeting_visible` for a caller that resolved the meeting through the rule book already (it
    saves the query); `drafts=False` for a channel that shows no draft, not even to coordinators
    (the API, the person's own task list). The rule is that of readable_minutes, which lists what
    this lets one read.
    """
    if not meeting_visible and not can_view(user, minutes.meeting):
        return False
    if minutes.status == _PUBLISHED_MINUTES:
        return True
    return drafts and can_coordinate(user, minutes.meeting.space)


def readable_minutes(queryset: QuerySet, user, *, via: str, drafts: bool = True) -> QuerySet:
    """What of `queryset` belongs to minutes `user` may read (can_see_minutes), reaching the meeting
    through the lookup path `via`: "meeting" from an agenda item's discussion or an action item,
    "agenda_item__meeting" from a decision. The meeting is visible to them, and its minutes are
    published or (with `drafts`) at home in a space they coordinate."""
    meeting_model = _related_model(queryset.model, via)
    meetings = visible_items(meeting_model._default_manager.all(), user)
    readable = Q(**{f"{via}__minutes__status": _PUBLISHED_MINUTES})
    if drafts:
        readable |= Q(**{f"{via}__space_id__in": sorted(coordinated_space_ids(user))})
    return queryset.filter(**{f"{via}__in": meetings}).filter(readable)


def _related_model(model, path: str):
    """The model at the end of a lookup path of foreign keys ("agenda_item__meeting")."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


# --- Notifications ------------------------------------------------------

# portal.notifications.models.Event.Audience (the rule book imports no feature)
_RING_EVENTS = ("ring", "newly_reached")
_COORDINATION_EVENTS = "coordinators"


def readable_events(user, *, prefix: str = "") -> Q:
    """Which events a person may still read by whom they were for: an event of a ring only while
    they are inside that ring, an event for a space's coordination only while they coordinate it
    (memberships and roles change between the event and the reading). `prefix` is the path to the
    event ("event__" from a notification or a delivery)."""
    in_ring = Q(**{f"{prefix}ring_id__in": ring_space_ids(user)})
    coordinating = Q(**{f"{prefix}space_id__in": coordinated_space_ids(user)})
    return (~Q(**{f"{prefix}audience__in": _RING_EVENTS}) | in_ring) & (
        ~Q(**{f"{prefix}audience": _COORDINATION_EVENTS}) | coordinating
    )


# --- Projects ------------------------------------------------------------


def can_review(user, project) -> bool:
    """Reviewing and deciding: the home space's coordinators, never on a project of their own."""
    return can_coordinate(user, project.space) and project.submitted_by_id != user.pk


def can_see_reviews(user, project) -> bool:
    """Individual reviews, with names and internal notes: for the home space's coordinators only."""
    return can_coordinate(user, project.space)


def can_edit_project(user, project) -> bool:
    """The submitter while the project is theirs to change; the home space's coordinators always."""
    if not _active(user):
        return False
    if can_coordinate(user, project.space):
        return True
    return project.submitted_by_id == user.pk and project.is_editable_by_submitter


# --- Audit log -----------------------------------------------------------


def can_read_audit_log(user) -> bool:
    """The audit log is for staff and for the coordinators of at least one space."""
    return coordinates_any_space(user)


def visible_audit_entries(queryset: QuerySet, user) -> QuerySet:
    """Entries of the spaces `user` coordinates; staff read every entry, those of no space too
    (the admin's changes to people, the erasure of a person of no space). Nobody else reads any."""
    if not _active(user):
        return queryset.none()
    if user.is_staff:
        return queryset
    return queryset.filter(space_id__in=coordinated_space_ids(user))
