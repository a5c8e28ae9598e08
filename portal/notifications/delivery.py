"""Delivery of the outbox: dispatch an event to people, send the immediate mails, recover.

Every step is idempotent: an event is dispatched once (row lock, state), one
Notification and one Delivery exist per event, person and channel (unique
keys), and a delivery is claimed before it is sent, noted in the journal the
moment its mail has left, and marked sent afterwards. A worker killed at any
point leaves rows the recovery puts right.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from portal.notifications import audience, journal, outbox, personal
from portal.notifications.kinds import DIGEST_CHANNELS, Channel
from portal.notifications.mail import (
    RenderedEvent,
    event_message,
    mail_domain,
    render_event,
    unsubscribe_tokens,
)
from portal.notifications.models import Delivery, Event, Notification
from portal.notifications.selectors import forget_unread_counts

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# A claimed delivery that has not been marked sent after this long belongs to a dead worker.
CLAIM_TIMEOUT = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
# Pending work older than this was not (or no longer) in the broker's queue: hand it out again.
REPLAY_AFTER = timedelta(seconds=60)
# A mail that fails is tried again after these pauses; the failure after the last one is final.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_FAILURES = len(RETRY_DELAYS) + 1


def dispatch(event_id: int) -> list[list[int]]:
    """Creates the notifications and deliveries of an event; returns the immediate mails in batches."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=event_id, state=Event.State.PENDING)
            .select_related("space", "ring", "previous_ring")
            .first()
        )
        if event is None:
            return []
        ids = audience.recipient_ids(event)
        chosen = audience.channels(event, ids)
        reached = {pk for pk, channel in chosen.items() if channel != Channel.OFF}
        Notification.objects.bulk_create(
            [Notification(event=event, user_id=pk) for pk in reached], batch_size=1000, ignore_conflicts=True
        )
        forget_unread_counts(reached)
        mailable = audience.verified_ids(
            {pk for pk in reached if chosen[pk] not in (Channel.IN_APP, Channel.OFF)}
        )
        Delivery.objects.bulk_create(
            [Delivery(event=event, user_id=pk, channel=chosen[pk]) for pk in mailable],
            batch_size=1000,
            ignore_conflicts=True,
        )
        Event.objects.filter(pk=event.pk).update(
            state=Event.State.DISPATCHED, dispatched_at=timezone.now(), attempts=F("attempts") + 1
        )
    immediate = list(
        Delivery.objects.filter(event_id=event_id, channel=Channel.IMMEDIATE, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [immediate[i : i + BATCH_SIZE] for i in range(0, len(immediate), BATCH_SIZE)]


def send_immediate(delivery_ids: list[int]) -> int:
    """Sends the given immediate mails that are still pending and due; returns how many went out.

    Each mail stands on its own: one that cannot be built or that the server
    refuses is put back with a pause (RETRY_DELAYS) and, after MAX_FAILURES,
    marked failed with its error for staff, while the rest of the batch goes
    on. Only a lost connection (mail server or journal) stops the batch: what
    was not tried yet goes back to pending at once and the error is raised for
    the task's retry.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=delivery_ids, status=Delivery.Status.PENDING, channel=Channel.IMMEDIATE)
            .filter(_due(now))
            .select_related("event", "user", "user__profile")
            .order_by("pk")
        )
        Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(
            status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    if not batch:
        return 0
    tokens = {}
    for kind in {d.event.kind for d in batch}:
        tokens[kind] = unsubscribe_tokens({d.user_id for d in batch if d.event.kind == kind}, kind)
    rendered: dict[tuple[int, str], RenderedEvent] = {}
    domain = mail_domain()
    sent: list[int] = []
    failed: dict[int, Exception] = {}
    try:
        notebook = journal.Notebook(
            rows=Delivery.objects.filter(status=Delivery.Status.SENDING),
            sent={"status": Delivery.Status.SENT, "sent_at": Now(), "next_attempt_at": None},
        )
        with outbox.connection() as connection, notebook:
            for delivery in batch:
                try:
                    token = tokens[delivery.event.kind][delivery.user_id]
                    message = _event_message(delivery, token, rendered, domain=domain)
                    connection.send_messages([message])
                except Exception as exc:
                    failed[delivery.pk] = exc
                    if _breaks_the_connection(exc):
                        raise
                    continue
                # Counted as sent before the journal is written: when the database and Redis fail
                # the note, the mail has still left, and putting it back to pending would send it
                # again.
                sent.append(delivery.pk)
                notebook.note(delivery.pk)
    finally:
        # The rows first: forgetting the journal notes (in _mark_sent) fails when Redis is down.
        done = set(sent) | set(failed)
        untried = [d.pk for d in batch if d.pk not in done]
        if untried:
            Delivery.objects.filter(pk__in=untried).update(status=Delivery.Status.PENDING)
        _note_failures([d for d in batch if d.pk in failed], failed, now=now)
        _mark_sent(sent)
    return len(sent)


def _due(now) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _breaks_the_connection(exc: Exception) -> bool:
    """A lost or refused connection is nobody's mail's fault; a refused recipient or message is."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
        return False
    return isinstance(exc, OSError)


def _note_failures(deliveries: list[Delivery], errors: dict[int, Exception], *, now) -> None:
    """Back to pending after a pause, or failed for good after MAX_FAILURES: one update per outcome."""
    outcomes: dict[tuple[int, str], list[int]] = {}
    for delivery in deliveries:
        outcomes.setdefault((delivery.failures + 1, repr(errors[delivery.pk])[:2000]), []).append(delivery.pk)
    for (failures, error), ids in outcomes.items():
        if failures >= MAX_FAILURES:
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.FAILED, failures=failures, last_error=error, next_attempt_at=None
            )
            logger.error("mails failed for good", extra={"deliveries": ids, "error": error})
        else:
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.PENDING,
                failures=failures,
                last_error=error,
                next_attempt_at=now + RETRY_DELAYS[failures - 1],
            )
            logger.warning(
                "mails failed; tried again later",
                extra={"deliveries": ids, "error": error, "failures": failures},
            )


def _mark_sent(delivery_ids: list[int]) -> None:
    if delivery_ids:
        Delivery.objects.filter(pk__in=delivery_ids).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        journal.forget(delivery_ids)


def _event_message(
    delivery: Delivery, token: str, rendered: dict[tuple[int, str], RenderedEvent], *, domain: str
):
    event, user = delivery.event, delivery.user
    language = user.language or settings.LANGUAGE_CODE
    if (event.pk, language) not in rendered:
        rendered[event.pk, language] = render_event(event, language=language)
    message = event_message(
        rendered[event.pk, language],
        user=user,
        unsubscribe_token=token,
        message_id=f"<notification-{delivery.pk}@{domain}>",
    )
    return personal.complete(message, event=event, user=user)


def recover() -> dict[str, list]:
    """What the beat replay hands out again: pending events and mails, and claims of dead workers.

    Digest rows are never handed to send_immediate: a dead worker's unsent
    digest comes back as (channel, user id) for notifications.send_digest.
    """
    now = timezone.now()
    stale = list(
        Delivery.objects.filter(
            status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        ).values_list("pk", "user_id", "channel", "claimed_at")
    )
    stale_claims = [pk for pk, _user_id, _channel, _claimed_at in stale]
    digests = []
    if stale_claims:
        were_sent = journal.which_were_sent(stale_claims)
        # A digest is one mail for all the rows claimed with it: one noted row means all of them left.
        sent_digests = {
            (user_id, channel, claimed_at)
            for pk, user_id, channel, claimed_at in stale
            if pk in were_sent and channel in DIGEST_CHANNELS
        }
        were_sent |= {pk for pk, *claim in stale if tuple(claim) in sent_digests}
        digests = sorted(
            {
                (channel, user_id)
                for pk, user_id, channel, _claimed_at in stale
                if pk not in were_sent and channel in DIGEST_CHANNELS
            }
        )
        _mark_sent(sorted(were_sent))
        Delivery.objects.filter(pk__in=set(stale_claims) - were_sent, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING
        )
        logger.warning(
            "recovered deliveries of a dead worker",
            extra={"sent": len(were_sent), "requeued": len(stale_claims) - len(were_sent)},
        )
    events = list(
        Event.objects.filter(state=Event.State.PENDING, created_at__lt=now - REPLAY_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mails = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, channel=Channel.IMMEDIATE, created_at__lt=now - REPLAY_AFTER
        )
        .filter(_due(now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return {
        "events": events,
        "mail_batches": [mails[i : i + BATCH_SIZE] for i in range(0, len(mails), BATCH_SIZE)],
        "digests": digests,
    }
