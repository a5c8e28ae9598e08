"""Writes of the notifications app that people cause: reading, preferences, unsubscribing."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from groups import access
from portal.celery import named_task
from portal.notifications import kinds
from portal.notifications.kinds import Channel
from portal.notifications.models import Delivery, Notification, Preference, Unfollow, UnsubscribeToken
from portal.notifications.selectors import forget_unfollowed, forget_unread_counts

logger = logging.getLogger(__name__)

DIGEST_TOPICS = {"digest_daily": Channel.DAILY, "digest_weekly": Channel.WEEKLY}


def notification_mark_read(*, user, pk: int | None = None, pks=None) -> int:
    """Marks one (`pk`), several (`pks`) or all of the person's notifications read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    marked = unread.update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return marked


@transaction.atomic
def preference_set(*, user, kind: str, channel: str, space=None) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kinds.ensure_registered(kind), space=space, defaults={"channel": channel}
    )
    return preference


@transaction.atomic
def unsubscribe(*, token: UnsubscribeToken) -> bool:
    """No more mails of the token's topic; the notifications stay in the portal.

    The token works once (see UnsubscribeToken): False, and nothing changes, when it was used
    already (a repeated one-click POST, an old mail) or has expired.
    """
    locked = UnsubscribeToken.objects.select_for_update().filter(pk=token.pk, used_at__isnull=True).first()
    if locked is None or locked.is_expired:
        return False
    locked.used_at = token.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    user = token.user
    if token.topic in DIGEST_TOPICS:
        # The digest in question stops: every kind that would land in it stays in the portal only.
        from portal.notifications.audience import default_channel

        digest = DIGEST_TOPICS[token.topic]
        for kind in (spec.value for spec in kinds.registered()):
            current = Preference.objects.filter(user=user, kind=kind, space__isnull=True).first()
            would_be = current.channel if current else None
            defaults = {
                default_channel(kind, from_inner_circle=False),
                default_channel(kind, from_inner_circle=True),
            }
            if would_be == digest or (
                would_be is None and not kinds.is_personal(kind) and digest in defaults
            ):
                preference_set(user=user, kind=kind, channel=Channel.IN_APP)
                if would_be is None:
                    _keep_the_other_digest(user=user, kind=kind, digest=digest)
        Preference.objects.filter(user=user, channel=digest).update(channel=Channel.IN_APP)
        queued = Delivery.objects.filter(user=user, channel=digest)
    else:
        preference_set(user=user, kind=token.topic, channel=Channel.IN_APP)
        Preference.objects.filter(user=user, kind=token.topic, channel=Channel.IMMEDIATE).update(
            channel=Channel.IN_APP
        )
        queued = Delivery.objects.filter(user=user, event__kind=token.topic)
    # What is already queued for these mails is not sent either.
    queued.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, last_error="unsubscribed"
    )
    return True


def _keep_the_other_digest(*, user, kind: str, digest: Channel) -> None:
    """Where the defaults put this kind into the other digest (the rings around the person's own
    circle go weekly), that stays so, space by space: unsubscribing one digest keeps the other."""
    from portal.notifications.audience import default_channel

    other = Channel.WEEKLY if digest == Channel.DAILY else Channel.DAILY
    around_own_circles = access.spaces_around_own_circles(user)
    for space_id in access.ring_space_ids(user):
        if default_channel(kind, from_inner_circle=space_id in around_own_circles) == other:
            Preference.objects.get_or_create(
                user=user, kind=kind, space_id=space_id, defaults={"channel": other}
            )


@transaction.atomic
def deliveries_retry(*, ids: list[int]) -> int:
    """Staff, after mending what made them fail (an address, a title): failed mails get a fresh start.

    Immediate mails are handed to a worker after the commit (and by the replay
    anyway); digest rows wait for the person's next digest.
    """
    from portal.notifications.delivery import BATCH_SIZE

    failed = Delivery.objects.filter(pk__in=ids, status=Delivery.Status.FAILED)
    immediate = sorted(failed.filter(channel=Channel.IMMEDIATE).values_list("pk", flat=True))
    count = failed.update(status=Delivery.Status.PENDING, failures=0, next_attempt_at=None)
    for start in range(0, len(immediate), BATCH_SIZE):
        batch = immediate[start : start + BATCH_SIZE]
        transaction.on_commit(lambda batch=batch: _enqueue_mails(batch))
    return count


def _enqueue_mails(delivery_ids: list[int]) -> None:
    send_immediate = named_task("notifications.send_immediate")
    try:
        send_immediate.apply_async(kwargs={"delivery_ids": delivery_ids}, retry=False)
    except Exception as exc:  # noqa: BLE001 - the outbox replay hands them out anyway
        logger.warning("mails not enqueued; the outbox replay will", extra={"error": repr(exc)})


@transaction.atomic
def subject_follow(*, user, subject, follow: bool) -> None:
    """Follows a thread or meeting again (the default for its ring) or stops following it."""
    subject_type = ContentType.objects.get_for_model(subject)
    if follow:
        Unfollow.objects.filter(user=user, subject_type=subject_type, subject_id=subject.pk).delete()
    else:
        Unfollow.objects.get_or_create(user=user, subject_type=subject_type, subject_id=subject.pk)
    forget_unfollowed(user.pk)
