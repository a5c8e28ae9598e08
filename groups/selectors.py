"""Named reads of the groups app. Each one filters through groups.access."""

from dataclasses import dataclass, field, replace

from django.db.models import Count, F, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups import access
from groups.models import (
    Document,
    DocumentComment,
    DocumentVersion,
    Invitation,
    JoinRequest,
    Membership,
    Post,
    Space,
    Thread,
    User,
)
from portal import readcache


@dataclass
class SpaceCard:
    space: Space
    is_inside: bool
    role: str | None
    member_count: int | None
    pending_request: JoinRequest | None


def space_list(*, user) -> list[SpaceCard]:
    """Every space, as the visitor may see it: a stub where they are outside."""
    inside = access.ring_space_ids(user)
    spaces = list(Space.objects.select_related("parent").annotate(members=Count("memberships")))
    roles, pending = {}, {}
    if user.is_authenticated:
        roles = dict(Membership.objects.filter(user=user).values_list("space_id", "role"))
        pending = {
            jr.space_id: jr for jr in JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING)
        }
    return [
        SpaceCard(
            space=space,
            is_inside=space.pk in inside,
            role=roles.get(space.pk),
            member_count=space.members if space.pk in inside else None,
            pending_request=pending.get(space.pk),
        )
        for space in spaces
    ]


def _items_of_space(queryset: QuerySet, *, user, space: Space) -> QuerySet:
    """Items at home in a space plus those shared into it from a space inside it."""
    return access.items_of_space(queryset, user=user, space=space)


@dataclass
class SpaceHome:
    space: Space
    is_inside: bool
    is_member: bool
    can_coordinate: bool
    coordinators: list[User]
    member_count: int | None = None
    threads: list[Thread] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    pending_request_count: int = 0
    my_request: JoinRequest | None = None


def space_by_slug(slug: str) -> Space | None:
    """A space by its address: who coordinates, and whether its content shows, the rule book says;
    the space itself (name, summary, parent) is the same for everyone, and a shared read."""
    return readcache.shared_read(
        "space_by_slug", slug, build=lambda: Space.objects.select_related("parent").filter(slug=slug).first()
    )


def space_home(*, user, space: Space) -> SpaceHome:
    """A space's home. What everyone of the reader's standing sees alike is a shared read
    (portal/readcache.py); their membership and their own join request are read for them."""
    home = readcache.shared_read(
        "space_home", space.pk, user=user, build=lambda: _space_home_shared(user=user, space=space)
    )
    home = replace(home, space=space, is_member=access.is_member(user, space))
    if user.is_authenticated and not home.is_inside:
        # Shown only to those outside, with the way in.
        home.my_request = JoinRequest.objects.filter(space=space, user=user).order_by("-created_at").first()
    return home


def _space_home_shared(*, user, space: Space) -> SpaceHome:
    inside = access.can_see_space_content(user, space)
    home = SpaceHome(
        space=space,
        is_inside=inside,
        is_member=False,
        can_coordinate=access.can_coordinate(user, space),
        coordinators=list(
            access.coordinators_of(space).select_related("profile__organisation").order_by("name")
        ),
    )
    if not inside:
        return home
    home.member_count = space.memberships.count()
    home.threads = list(thread_list(user=user, space=space)[:5])
    home.documents = list(document_list(user=user, space=space)[:5])
    if home.can_coordinate:
        home.pending_request_count = pending_join_requests(space=space).count()
    return home


def pending_join_requests(*, space: Space) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(space=space, status=JoinRequest.Status.PENDING)
        .select_related("user__profile__organisation")
        .order_by("created_at", "pk")
    )


def _count_of(model, *, key: str):
    """The number of `model` rows pointing at each row, as a correlated subquery: PostgreSQL
    computes it only for the rows a page returns, where a joined Count() groups the whole list."""
    rows = model.objects.filter(**{key: OuterRef("pk")}).order_by().values(key)
    return Coalesce(Subquery(rows.annotate(count=Func(F("pk"), function="COUNT")).values("count")), 0)


def thread_list(*, user, space: Space) -> QuerySet[Thread]:
    """Newest activity first (pinned ones on top), as the index thread_space_activity_idx reads them."""
    return (
        _items_of_space(Thread.objects.all(), user=user, space=space)
        .select_related("space", "audience", "author")
        .annotate(post_count=_count_of(Post, key="thread"))
        .order_by("-is_pinned", "-last_activity_at", "-pk")
    )


def thread_detail(*, user, space: Space, pk: int) -> Thread:
    thread = access.get_visible_or_404(
        Thread.objects.filter(space=space).select_related("space", "audience", "author"), user, pk=pk
    )
    thread.post_list = list(
        Post.objects.filter(thread=thread)
        .select_related("author__profile__organisation")
        .annotate(revision_count=Count("revisions"))
    )
    return thread


def document_list(*, user, space: Space) -> QuerySet[Document]:
    return (
        _items_of_space(Document.objects.all(), user=user, space=space)
        .select_related("space", "audience", "created_by")
        .annotate(
            version_count=_count_of(DocumentVersion, key="document"),
            comment_count=_count_of(DocumentComment, key="document"),
        )
        .order_by("-updated_at", "-pk")
    )


def document_detail(*, user, space: Space, pk: int) -> Document:
    return access.get_visible_or_404(
        Document.objects.filter(space=space)
        .select_related("space", "audience", "created_by")
        .prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by")),
            Prefetch("comments", queryset=DocumentComment.objects.select_related("author")),
        ),
        user,
        pk=pk,
    )


@dataclass
class DirectoryEntry:
    user: User
    role: str
    email: str | None
    phone: str | None


def invitation_is_open(invitation: Invitation) -> bool:
    """Not accepted, not revoked and not expired: the link still admits (the page and the mail ask it)."""
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


def member_memberships(*, space: Space) -> QuerySet[Membership]:
    """The memberships of a space in the directory's order (coordinators first, then by name)."""
    return (
        Membership.objects.filter(space=space)
        .select_related("user__profile__organisation")
        .prefetch_related("user__profile__trades", "user__profile__topics")
        .order_by("role", "user__name", "pk")
    )


def member_directory(*, user, memberships) -> list[DirectoryEntry]:
    """Directory entries of `memberships` (one page of member_memberships), for the space's members
    only; contact details as each profile allows."""
    entries = []
    for membership in memberships:
        member = membership.user
        profile = getattr(member, "profile", None)
        shares_email = profile is None or profile.show_email == "members"
        shares_phone = profile is not None and profile.show_phone == "members" and profile.phone
        entries.append(
            DirectoryEntry(
                user=member,
                role=membership.role,
                email=member.email if shares_email else None,
                phone=profile.phone if shares_phone else None,
            )
        )
    return entries


MENTION_SUGGESTIONS = 8


def mention_suggestions(*, ring: Space, query: str, author: User) -> list[dict]:
    """Up to eight people of the ring whose name contains the typed text, for "@" completion.

    One query for the names (beside the rule book's read of the space tree), whatever the
    size of the ring.
    """
    query = " ".join(query.split())
    if not query:
        return []
    people = (
        access.mentionable_people(ring)
        .exclude(pk=author.pk)
        .filter(name__icontains=query)
        .order_by("name", "pk")
        .values("pk", "name", "organisation_name")[:MENTION_SUGGESTIONS]
    )
    return [{"name": p["name"], "organisation": p["organisation_name"]} for p in people]
