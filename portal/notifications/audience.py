"""Who receives an event, on which channel, and who may still see it later: the ring rules, asked
at delivery time and again whenever the event is read (notification centre, digests)."""

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from groups import access
from groups.models import Membership, RingItem, User
from portal.notifications import kinds, personal
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Event, Preference, Unfollow

# Events that ask someone to act stay only while there is something to do: a join request
# withdrawn or decided, a question triaged, a project decided no longer waits for anyone.
# Keyed by the subject's model ("app_label.model"): the kinds and the filter of open subjects.
WHILE_OPEN = {
    "groups.joinrequest": ({Kind.JOIN_REQUESTED}, Q(status="pending")),
    "groups.question": ({Kind.QUESTION_ASKED}, Q(status="submitted")),
    "projects.project": ({Kind.PROJECT_SUBMITTED}, Q(status__in=["submitted", "in_review"])),
}


def recipient_ids(event: Event) -> set[int]:
    """The people the event reaches now: memberships as they are at delivery, not as they were."""
    before = event.created_at
    if event.audience == Event.Audience.RING:
        ids = access.audience_member_ids(event.ring, joined_before=before)
    elif event.audience == Event.Audience.NEWLY_REACHED:
        ids = access.audience_member_ids(event.ring, joined_before=before) - access.audience_member_ids(
            event.previous_ring
        )
    elif event.audience == Event.Audience.COORDINATORS:
        ids = access.coordinator_ids(event.space)
    else:
        ids = set(
            User.objects.filter(pk__in=event.recipient_ids, is_active=True).values_list("pk", flat=True)
        )
        ids = _who_can_see_the_subject(event, ids)
    ids.discard(event.actor_id)
    if event.audience != Event.Audience.PEOPLE and event.subject_type_id is not None and ids:
        # Who unfollowed the thread or meeting hears no more of it through the ring.
        ids -= set(
            Unfollow.objects.filter(
                user_id__in=ids, subject_type_id=event.subject_type_id, subject_id=event.subject_id
            ).values_list("user_id", flat=True)
        )
    return ids


def _who_can_see_the_subject(event: Event, ids: set[int]) -> set[int]:
    subject = event.subject
    if subject is None or not hasattr(subject, "audience_id"):
        return ids
    return {pk for pk in ids if access.can_view(User(pk=pk, is_active=True), subject)}


def channels(event: Event, ids: set[int]) -> dict[int, Channel]:
    """Each recipient's channel: their preference for the kind here, or in general, or the default."""
    preferences = Preference.objects.filter(user_id__in=ids, kind=event.kind).filter(
        Q(space__isnull=True) | Q(space_id=event.space_id)
    )
    general, specific = {}, {}
    for user_id, space_id, channel in preferences.values_list("user_id", "space_id", "channel"):
        (general if space_id is None else specific)[user_id] = channel
    deeper = _members_of_an_inner_space(event, ids)
    invited = personal.at_once(event, ids)
    return {
        pk: Channel(
            specific.get(pk)
            or general.get(pk)
            or (Channel.IMMEDIATE if pk in invited else None)
            or default_channel(event.kind, from_inner_circle=pk in deeper)
        )
        for pk in ids
    }


def default_channel(kind: str, *, from_inner_circle: bool) -> Channel:
    """Personal matters at once; a space's activity in the daily overview, and the activity of
    an outer ring in the weekly one for people of an inner circle (the seed's "keep them informed")."""
    if kind == Kind.INVITED:
        # The invitation itself is mailed to the address; the notification only points to it.
        return Channel.IN_APP
    if kinds.is_personal(kind):
        return Channel.IMMEDIATE
    if kind == Kind.INFORMATION_PUBLISHED:
        # What the Fachgruppe publishes for businesses is worth a weekly look, not a daily one.
        return Channel.WEEKLY
    return Channel.WEEKLY if from_inner_circle else Channel.DAILY


def _members_of_an_inner_space(event: Event, ids: set[int]) -> set[int]:
    if event.space_id is None:
        return set()
    inner_ids = access.space_and_descendant_ids(event.space) - {event.space_id}
    if not inner_ids:
        return set()
    return set(
        Membership.objects.filter(user_id__in=ids, space_id__in=inner_ids).values_list("user_id", flat=True)
    )


def verified_ids(ids: set[int]) -> set[int]:
    """People whose address is verified: nothing is ever mailed to an unverified one."""
    return set(
        EmailAddress.objects.filter(user_id__in=ids, verified=True, primary=True).values_list(
            "user_id", flat=True
        )
    )


def still_visible(user, *, subject_type_ids, prefix: str = "") -> Q:
    """The one rule of what a person may still see of an event, for the notification centre and
    the digests alike: memberships and roles change between the event and the reading.

    An event of a ring only while the person is inside it; an event for a space's coordination
    only while they coordinate it; an event about a subject only while the subject exists and
    (for ring items) the person may see it; an event that asks for a decision (WHILE_OPEN) only
    while the subject still waits for it. `prefix` names the path to the event ("event__"
    from a Notification or a Delivery); `subject_type_ids` are the content types of the
    subjects among the events asked about (an event of any other subject type is left out).
    """
    rule = access.readable_events(user, prefix=prefix)
    subjects = Q(**{f"{prefix}subject_type__isnull": True})
    for type_id in sorted(t for t in subject_type_ids if t is not None):
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        queryset = model._default_manager.all()
        if issubclass(model, RingItem):
            queryset = access.visible_items(queryset, user)
        of_type = Q(**{f"{prefix}subject_type_id": type_id, f"{prefix}subject_id__in": queryset.values("pk")})
        if model._meta.label_lower in WHILE_OPEN:
            kinds, open_subjects = WHILE_OPEN[model._meta.label_lower]
            of_type &= ~Q(**{f"{prefix}kind__in": kinds}) | Q(
                **{f"{prefix}subject_id__in": queryset.filter(open_subjects).values("pk")}
            )
        subjects |= of_type
    return rule & subjects
