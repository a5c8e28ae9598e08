"""Named reads of the notification centre, filtered by the ring rules as they are now."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from groups import access
from portal import readcache
from portal.notifications import audience
from portal.notifications.kinds import Kind
from portal.notifications.mail import display_data
from portal.notifications.models import Notification, Unfollow, UnsubscribeToken

UNREAD_SECONDS = 300


def notifications_of(*, user) -> QuerySet[Notification]:
    """A person's notifications that they may still see: the digests' rule (audience.still_visible),
    so a ring left, a coordination ended or a subject gone since removes the entry and its count."""
    own = Notification.objects.filter(user=user)
    subject_types = own.values_list("event__subject_type_id", flat=True).distinct().order_by()
    return own.filter(
        audience.still_visible(user, subject_type_ids=set(subject_types), prefix="event__")
    ).select_related("event", "event__space", "event__actor")


def unread_count(*, user) -> int:
    """The header's number, kept in the cache per person (every page shows it): valid while their
    standing and the content generation (portal/readcache.py: a subject deleted or hidden changes
    what they may still see) are those it was counted under, and forgotten whenever their
    notifications are written (forget_unread_counts)."""
    key = unread_cache_key(user.pk)
    current, cached = readcache.cached_with_generation(key)
    counted_under = (access.standing_key(user), current)
    if cached is not None and counted_under[1] is not None and cached[0] == counted_under:
        return cached[1]
    count = notifications_of(user=user).filter(read_at__isnull=True).count()
    readcache.keep(key, (counted_under, count), seconds=UNREAD_SECONDS)
    return count


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def centre_cache_key(user_id: int) -> str:
    return f"notifications:centre:{user_id}"


def first_page_of_centre[T](*, user, build: Callable[[], T]) -> T:
    """The centre's first page (where people open it), kept for the person as the unread count is:
    valid while their standing, the content generation and the language are those it was read
    under, and forgotten whenever their notifications are written."""
    key = centre_cache_key(user.pk)
    read_under = (access.standing_key(user), readcache.generation(), get_language())
    cached = readcache.cached(key)
    if cached is not None and read_under[1] is not None and cached[0] == read_under:
        return cached[1]
    value = build()
    readcache.keep(key, (read_under, value))
    return value


def forget_unread_counts(user_ids) -> None:
    """After notifications of these people were created, read or deleted: now and after the commit
    (their unread count and their centre's first page)."""
    keys = [key for pk in user_ids for key in (unread_cache_key(pk), centre_cache_key(pk))]
    if not keys:
        return

    def forget() -> None:
        readcache.forget(keys)

    forget()
    transaction.on_commit(forget)


def unsubscribe_token(*, token: str) -> UnsubscribeToken | None:
    """The token of an unsubscribe link, whether still valid or not, with its owner."""
    return UnsubscribeToken.objects.select_related("user").filter(token=token).first()


# Kinds whose events about one subject read as one entry of the centre ("3 neue Beiträge in …").
DISCUSSION = "discussion"
MEETING = "meeting"
FAMILIES = {
    Kind.THREAD_CREATED: DISCUSSION,
    Kind.POST_CREATED: DISCUSSION,
    Kind.MENTIONED: DISCUSSION,
    Kind.MEETING_SCHEDULED: MEETING,
    Kind.MEETING_CHANGED: MEETING,
    Kind.MEETING_CANCELLED: MEETING,
    Kind.MEETING_INVITED: MEETING,
    Kind.AGENDA_PUBLISHED: MEETING,
    Kind.MINUTES_PUBLISHED: MEETING,
    Kind.POLL_OPENED: MEETING,
    Kind.POLL_CLOSED: MEETING,
    Kind.REGISTRATION_MOVED_UP: MEETING,
}


@dataclass
class Entry:
    """One line of the centre: a notification, or several about the same thread or meeting."""

    notifications: list[Notification] = field(default_factory=list)
    headline: str = ""

    @property
    def newest(self) -> Notification:
        return self.notifications[0]

    @property
    def unread(self) -> list[Notification]:
        return [n for n in self.notifications if n.read_at is None]

    @property
    def others_unread(self) -> list[Notification]:
        return [n for n in self.unread if n.pk != self.newest.pk]

    @property
    def count(self) -> int:
        return len(self.notifications)


def centre_entries(notifications) -> list[Entry]:
    """The notifications of one page (newest first) as the centre's entries, without a query:
    events of one family (discussion, meeting) about one subject are one entry, at the place of
    the newest; each entry says who did what to what (mail.HAPPENED), a group how much is new."""
    entries: list[Entry] = []
    by_key: dict[tuple, Entry] = {}
    for notification in notifications:
        event = notification.event
        family = FAMILIES.get(event.kind)
        key = (family, event.subject_type_id, event.subject_id) if family and event.subject_id else None
        if key is not None and key in by_key:
            by_key[key].notifications.append(notification)
            continue
        entry = Entry(notifications=[notification])
        entries.append(entry)
        if key is not None:
            by_key[key] = entry
    for entry in entries:
        entry.headline = _headline(entry)
    return entries


def _headline(entry: Entry) -> str:
    events = [n.event for n in entry.notifications]
    mention = next((e for e in events if e.kind == Kind.MENTIONED), None)
    if entry.count == 1:
        return display_data(events[0])["happened"]
    family = FAMILIES[events[0].kind]
    title = events[0].data.get("title", "")
    if family == DISCUSSION:
        # A new post and the mention in it are one post: counted by the post they point to.
        posts = len({e.data.get("url") for e in events})
        if posts == 1:
            return display_data(mention or events[0])["happened"]
        headline = ngettext(
            "%(count)d neuer Beitrag in „%(title)s“", "%(count)d neue Beiträge in „%(title)s“", posts
        ) % {"count": posts, "title": title}
        if mention is not None:
            headline += " " + _("(Sie wurden erwähnt)")
        return headline
    return ngettext(
        "%(count)d Neuigkeit zur Sitzung „%(title)s“",
        "%(count)d Neuigkeiten zur Sitzung „%(title)s“",
        entry.count,
    ) % {"count": entry.count, "title": title}


def following_state(user, subject) -> bool | None:
    """For a page's follow button: whether the person follows `subject`; None when signed out."""
    return is_following(user=user, subject=subject) if user.is_authenticated else None


def is_following(*, user, subject) -> bool:
    """Whether the person hears of the thread or meeting through its ring (the default)."""
    subject_type = ContentType.objects.get_for_model(subject)
    return (subject_type.pk, subject.pk) not in _unfollowed(user)


def _unfollowed(user) -> frozenset[tuple[int, int]]:
    """What the person stopped following, kept in the cache per person (every thread and meeting page
    asks) and forgotten whenever they follow or stop following something (forget_unfollowed)."""
    key = unfollowed_cache_key(user.pk)
    kept = readcache.cached(key)
    if kept is not None:
        return kept
    unfollowed = frozenset(Unfollow.objects.filter(user=user).values_list("subject_type_id", "subject_id"))
    readcache.keep(key, unfollowed, seconds=UNREAD_SECONDS)
    return unfollowed


def unfollowed_cache_key(user_id: int) -> str:
    return f"notifications:unfollowed:{user_id}"


def forget_unfollowed(user_id: int) -> None:
    """After the person followed or stopped following something: now and after the commit."""
    keys = [unfollowed_cache_key(user_id)]

    def forget() -> None:
        readcache.forget(keys)

    forget()
    transaction.on_commit(forget)


def read_personal_ahead(user, *, follow_button: bool) -> None:
    """A page reads the person's cached values (the header's unread count and, with a follow button,
    what they stopped following) together with the content generation, in one round trip."""
    if user.is_authenticated:
        keys = [unread_cache_key(user.pk)]
        if follow_button:
            keys.append(unfollowed_cache_key(user.pk))
        readcache.read_ahead(keys)
