"""Named reads of the notification centre, filtered by the ring rules as they are now."""

from django.db import transaction
from django.db.models import QuerySet

from groups import access
from portal import readcache
from portal.notifications import audience
from portal.notifications.models import Notification, UnsubscribeToken

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
    counted_under = (access.standing_key(user), readcache.generation())
    cached = readcache.cached(key)
    if cached is not None and counted_under[1] is not None and cached[0] == counted_under:
        return cached[1]
    count = notifications_of(user=user).filter(read_at__isnull=True).count()
    readcache.keep(key, (counted_under, count), seconds=UNREAD_SECONDS)
    return count


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def forget_unread_counts(user_ids) -> None:
    """After notifications of these people were created, read or deleted: now and after the commit."""
    keys = [unread_cache_key(pk) for pk in user_ids]
    if not keys:
        return

    def forget() -> None:
        readcache.forget(keys)

    forget()
    transaction.on_commit(forget)


def unsubscribe_token(*, token: str) -> UnsubscribeToken | None:
    """The token of an unsubscribe link, whether still valid or not, with its owner."""
    return UnsubscribeToken.objects.select_related("user").filter(token=token).first()
