"""Named reads of the notification centre, filtered by the ring rules as they are now."""

from django.db.models import Q, QuerySet

from groups import access
from portal.notifications.models import Event, Notification, UnsubscribeToken

_RING_AUDIENCES = [Event.Audience.RING, Event.Audience.NEWLY_REACHED]


def notifications_of(*, user) -> QuerySet[Notification]:
    """A person's notifications, without those about a ring they have left since."""
    still_inside = ~Q(event__audience__in=_RING_AUDIENCES) | Q(event__ring_id__in=access.ring_space_ids(user))
    return (
        Notification.objects.filter(user=user)
        .filter(still_inside)
        .select_related("event", "event__space", "event__actor")
    )


def unread_count(*, user) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def unsubscribe_token(*, token: str) -> UnsubscribeToken | None:
    """The token of an unsubscribe link, whether still valid or not, with its owner."""
    return UnsubscribeToken.objects.select_related("user").filter(token=token).first()
