"""The overview ("Mein Überblick"): the page every signed-in person lands on, and when they last saw it.

One named read (`overview`) gathers what the page shows, every part through the
rule book (groups.access) and every list bounded (SECTION_SIZE rows, with the
total beside it for the "alle anzeigen" link), in a fixed number of queries
however many rows each part has: the totals come with the rows (window
functions), and "new in each of my spaces" is one query per kind for all spaces.

"New" means newer than the end of the person's previous visit (OverviewVisit):
the stored time moves at most every TOUCH_EVERY while they keep coming back, and
a pause of VISIT_GAP starts a new visit, so what was new stays marked until
they have been away for a while, and most views write nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from groups import access
from groups.models import Document, InformationPage, JoinRequest, Post, Question, Space, Thread
from meetings import selectors as meetings
from meetings import selectors_minutes
from meetings.models import ActionItem, Meeting, Minutes
from portal import readcache
from portal.models import OverviewVisit
from projects import selectors as projects

SECTION_SIZE = 5
VISIT_GAP = datetime.timedelta(minutes=30)
TOUCH_EVERY = datetime.timedelta(minutes=5)
# How far back "new" reaches at most: on the first visit, and after a long absence.
HORIZON = datetime.timedelta(days=30)


@dataclass
class Listing:
    """At most SECTION_SIZE rows of a part of the page, the number there are in all, and where they are."""

    rows: list
    total: int = 0
    url: str = ""

    @classmethod
    def of(cls, rows: list, *, url: str = "") -> "Listing":
        return cls(rows=rows, total=rows[0].total if rows else 0, url=url)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def has_more(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class SpaceNews:
    space: Space
    threads: Listing
    documents: Listing
    minutes: Listing
    information: Listing

    def __bool__(self) -> bool:
        return any((self.threads, self.documents, self.minutes, self.information))


@dataclass
class Waiting:
    """What waits for a coordinator in the spaces they coordinate."""

    join_requests: Listing
    request_counts: list["RequestCount"]
    projects: Listing
    questions: Listing
    minutes: Listing

    def __bool__(self) -> bool:
        return any((self.join_requests, self.projects, self.questions, self.minutes))


@dataclass
class RequestCount:
    space: Space
    count: int
    url: str


@dataclass
class Overview:
    since: datetime.datetime
    # "New" counts from HORIZON ago (a first visit, or a long absence), not from the last visit.
    from_horizon: bool
    is_guest: bool
    meetings: Listing
    action_items: Listing
    news: list[SpaceNews]
    waiting: Waiting | None
    my_requests: list[JoinRequest]
    joinable_spaces: list[Space] = field(default_factory=list)
    today: datetime.date | None = None


# --- The last visit ----------------------------------------------------------


def overview_visit_record(*, user, now: datetime.datetime) -> tuple[OverviewVisit, bool]:
    """The person's visit as of `now` (the line between old and new), and whether it is their first.

    Written only when it moves, at most once per TOUCH_EVERY: `seen_at` follows the
    person while they come back; after a pause of VISIT_GAP the previous visit's end
    becomes `since`.
    """
    visit, created = OverviewVisit.objects.get_or_create(
        user=user, defaults={"seen_at": now, "since": now - HORIZON}
    )
    if created:
        return visit, True
    away = now - visit.seen_at
    if away >= VISIT_GAP:
        visit.since, visit.seen_at = visit.seen_at, now
        visit.save(update_fields=["since", "seen_at"])
    elif away >= TOUCH_EVERY:
        visit.seen_at = now
        visit.save(update_fields=["seen_at"])
    return visit, False


# --- The page ---------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """Where "new" begins for this view of the overview: what its page and its read depend on
    besides the content."""

    record: OverviewVisit
    now: datetime.datetime
    first: bool
    since: datetime.datetime

    @property
    def from_horizon(self) -> bool:
        return self.first or self.since > self.record.since


def visit_now(*, user) -> Visit:
    """The person's visit as of now, recorded (overview_visit_record)."""
    now = timezone.now()
    record, first = overview_visit_record(user=user, now=now)
    # To the minute, so that a visit counted from the horizon is one read, not one per request.
    return Visit(
        record=record,
        now=now,
        first=first,
        since=max(record.since, (now - HORIZON).replace(second=0, microsecond=0)),
    )


def overview(*, user, visit: Visit | None = None) -> Overview:
    """The person's overview. It is read for them alone (their id is part of the key) and kept in
    the cache like a shared read (portal/readcache.py) until any content changes, so coming back
    to it, which people do all day, costs the visit's bookkeeping and nothing else."""
    visit = visit or visit_now(user=user)
    return readcache.shared_read(
        "overview",
        user.pk,
        visit.since.isoformat(),
        visit.first,
        user=user,
        build=lambda: _overview(
            user=user, now=visit.now, visit=visit.record, first_visit=visit.first, since=visit.since
        ),
    )


def _overview(*, user, now, visit: OverviewVisit, first_visit: bool, since: datetime.datetime) -> Overview:
    ring = access.ring_space_ids(user)
    spaces = list(access.visible_spaces(user).order_by(F("parent_id").asc(nulls_first=True), "name"))
    coordinated = access.coordinated_space_ids(user)
    is_guest = not ring
    my_requests = list(
        JoinRequest.objects.filter(user=user)
        .exclude(status=JoinRequest.Status.APPROVED)
        .select_related("space")
        .order_by("-created_at", "-pk")[:SECTION_SIZE]
    )
    # The latest answer per space: an older declined request does not matter once a new one is open.
    latest, seen = [], set()
    for request in my_requests:
        if request.space_id not in seen:
            seen.add(request.space_id)
            latest.append(request)
    return Overview(
        since=since,
        from_horizon=first_visit or since > visit.since,
        is_guest=is_guest,
        meetings=Listing.of(
            meetings.my_upcoming_meetings(user=user, limit=SECTION_SIZE), url=reverse("meetings:list")
        ),
        action_items=_open_action_items(user),
        news=_news(user=user, spaces=spaces, ring=ring, since=since) if ring else [],
        waiting=_waiting(user=user, spaces=spaces, coordinated=coordinated) if coordinated else None,
        my_requests=[
            request for request in latest if is_guest or request.status == JoinRequest.Status.PENDING
        ],
        joinable_spaces=_joinable_spaces(latest) if is_guest else [],
        today=timezone.localdate(now),
    )


def _open_action_items(user) -> Listing:
    rows = (
        selectors_minutes.my_action_items(user)
        .exclude(status=ActionItem.Status.DONE)
        # The overview names neither the assignees nor the agenda item: only the meeting.
        .prefetch_related(None)
        .select_related(None)
        .select_related("meeting")
        .only("title", "due_date", "status", "meeting__title")
        .annotate(total=Window(Count("pk")))[:SECTION_SIZE]
    )
    return Listing.of(list(rows), url=reverse("meetings:tasks"))


def _joinable_spaces(requests: list[JoinRequest]) -> list[Space]:
    """Spaces a guest may ask to join (those open to requests) where no request of theirs is open."""
    pending = {request.space_id for request in requests if request.status == JoinRequest.Status.PENDING}
    return list(
        Space.objects.filter(admission=Space.Admission.REQUEST).exclude(pk__in=pending).order_by("name")
    )


# --- New in my spaces --------------------------------------------------------


def _newest_per_space(
    rows: QuerySet,
    *,
    ring: frozenset[int],
    stamp: str,
    space: str = "space_id",
    audience: str = "audience_id",
) -> dict[int, list]:
    """The newest SECTION_SIZE rows for each of the person's spaces, with `total` per space, in one query.

    An item counts for its home space when the person is inside that ring, otherwise
    for the space of theirs it is shared with (as a space's own lists show it).
    """
    ids = list(ring)
    home = Case(When(**{f"{space}__in": ids}, then=F(space)), default=F(audience))
    newest = [F(stamp).desc(), F("pk").desc()]
    rows = (
        rows.filter(Q(**{f"{space}__in": ids}) | Q(**{f"{audience}__in": ids}))
        .annotate(home=home)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("home"), order_by=newest),
            total=Window(Count("pk"), partition_by=F("home")),
        )
        .filter(rank__lte=SECTION_SIZE)
        .order_by(*newest)
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.home, []).append(row)
    return found


def _news(*, user, spaces: list[Space], ring: frozenset[int], since: datetime.datetime) -> list[SpaceNews]:
    new_posts = (
        Post.objects.filter(thread=OuterRef("pk"), created_at__gt=since)
        .order_by()
        .values("thread")
        .annotate(count=Count("pk"))
        .values("count")
    )
    threads = _newest_per_space(
        access.visible_items(Thread.objects.filter(last_activity_at__gt=since), user)
        .select_related("space")
        .only("title", "space_id", "audience_id", "last_activity_at", "space__slug")
        .annotate(new_posts=Coalesce(Subquery(new_posts), 0)),
        ring=ring,
        stamp="last_activity_at",
    )
    documents = _newest_per_space(
        access.visible_items(Document.objects.filter(updated_at__gt=since), user)
        .select_related("space")
        .only("title", "space_id", "audience_id", "updated_at", "space__slug"),
        ring=ring,
        stamp="updated_at",
    )
    minutes = _newest_per_space(
        Minutes.objects.filter(
            status=Minutes.Status.PUBLISHED,
            published_at__gt=since,
            meeting__in=access.visible_items(Meeting.objects.all(), user),
        )
        .select_related("meeting")
        .only("published_at", "meeting__title", "meeting__space_id", "meeting__audience_id"),
        ring=ring,
        stamp="published_at",
        space="meeting__space_id",
        audience="meeting__audience_id",
    )
    information = _newest_per_space(
        access.visible_items(InformationPage.objects.filter(published_at__gt=since), user).only(
            "title", "slug", "space_id", "audience_id", "published_at"
        ),
        ring=ring,
        stamp="published_at",
    )
    news = []
    for space in spaces:
        news.append(
            SpaceNews(
                space=space,
                threads=Listing.of(
                    threads.get(space.pk, []), url=reverse("groups:thread_list", kwargs={"slug": space.slug})
                ),
                documents=Listing.of(
                    documents.get(space.pk, []),
                    url=reverse("groups:document_list", kwargs={"slug": space.slug}),
                ),
                minutes=Listing.of(
                    minutes.get(space.pk, []), url=f"{reverse('meetings:list')}?space={space.slug}"
                ),
                information=Listing.of(information.get(space.pk, []), url=reverse("information:list")),
            )
        )
    return news


# --- What waits for coordinators -------------------------------------------


def _waiting(*, user, spaces: list[Space], coordinated: frozenset[int]) -> Waiting:
    join_requests = (
        JoinRequest.objects.filter(space_id__in=coordinated, status=JoinRequest.Status.PENDING)
        .select_related("space", "user")
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")[:SECTION_SIZE]
    )
    reviews = (
        projects.review_queue(user=user)
        .exclude(submitted_by=user)
        .select_related(None)
        .only("slug", "title", "status", "round", "submitted_at")
        .annotate(total=Window(Count("pk")))[:SECTION_SIZE]
    )
    questions = (
        access.visible_items(
            Question.objects.filter(space_id__in=coordinated, status=Question.Status.SUBMITTED), user
        )
        .only("title", "created_at", "space_id", "audience_id")
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")[:SECTION_SIZE]
    )
    triage = f"{reverse('questions:list')}?status={Question.Status.SUBMITTED}"
    pending = dict(
        JoinRequest.objects.filter(space_id__in=coordinated, status=JoinRequest.Status.PENDING)
        .order_by()
        .values("space_id")
        .annotate(count=Count("pk"))
        .values_list("space_id", "count")
    )
    return Waiting(
        join_requests=Listing.of(list(join_requests)),
        request_counts=[
            RequestCount(
                space=space,
                count=pending[space.pk],
                url=reverse("groups:join_request_list", kwargs={"slug": space.slug}),
            )
            for space in spaces
            if space.pk in pending
        ],
        projects=Listing.of(list(reviews), url=reverse("projects:review_queue")),
        questions=Listing.of(list(questions), url=triage),
        minutes=Listing.of(meetings.minutes_to_publish(user=user, limit=SECTION_SIZE)),
    )
