"""Named reads of the notification centre, filtered by the ring rules as they are now."""

from django.db.models import QuerySet

from portal.notifications import audience
from portal.notifications.models import Notification, UnsubscribeToken


def notifications_of(*, user) -> QuerySet[Notification]:
    """A person's notifications that they may still see: the digests' rule (audience.still_visible),
    so a ring left, a coordination ended or a subject gone since removes the entry and its count."""
    own = Notification.objects.filter(user=user)
    subject_types = own.values_list("event__subject_type_id", flat=True).distinct().order_by()
    return own.filter(
        audience.still_visible(user, subject_type_ids=set(subject_types), prefix="event__")
    ).select_related("event", "event__space", "event__actor")


def unread_count(*, user) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def unsubscribe_token(*, token: str) -> UnsubscribeToken | None:
    """The token of an unsubscribe link, whether still valid or not, with its owner."""
    return UnsubscribeToken.objects.select_related("user").filter(token=token).first()
