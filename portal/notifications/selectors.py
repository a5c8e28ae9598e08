"""Named reads of the notification centre, filtered by the ring rules as they are now."""

from django.db import transaction
from django.db.models import Q, QuerySet

from groups import access
from portal import readcache
from portal.notifications.models import Event, Notification, UnsubscribeToken

_RING_AUDIENCES = [Event.Audience.RING, Event.Audience.NEWLY_REACHED]
UNREAD_SECONDS = 300


def notifications_of(*, user) -> QuerySet[Notification]:
    """A person's notifications, without those about a ring they have left since."""
    still_inside = ~Q(event__audience__in=_RING_AUDIENCES) | Q(event__ring_id__in=access.ring_space_ids(user))
    return (
        Notification.objects.filter(user=user)
        .filter(still_inside)
        .select_related("event", "event__space", "event__actor")
    )


def unread_count(*, user) -> int:
    """The header's number, kept in the cache per person and standing (every page shows it) and
    forgotten whenever their notifications are written (forget_unread_counts)."""
    key, standing = unread_cache_key(user.pk), access.standing_key(user)
    cached = readcache.cached(key)
    if cached is not None and cached[0] == standing:
        return cached[1]
    count = notifications_of(user=user).filter(read_at__isnull=True).count()
    readcache.keep(key, (standing, count), seconds=UNREAD_SECONDS)
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
