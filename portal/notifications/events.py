"""Recording events: the one door other apps use to notify people.

`record()` writes the event into the outbox inside the caller's transaction.
After the commit it asks Celery to dispatch it; when the broker cannot be
reached the event simply stays pending and the beat task `replay_outbox`
hands it to a worker later. Nothing is lost while Redis or every worker is down.
"""

import logging
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.celery import named_task
from portal.notifications import kinds
from portal.notifications.models import Event

logger = logging.getLogger(__name__)


def record(
    *,
    kind: str,
    audience: Event.Audience,
    data: dict,
    actor=None,
    space=None,
    ring=None,
    previous_ring=None,
    recipients=(),
    subject=None,
) -> Event:
    event = Event.objects.create(
        kind=kinds.ensure_registered(kind),
        audience=audience,
        actor=actor if actor is not None and actor.is_authenticated else None,
        space=space,
        ring=ring,
        previous_ring=previous_ring,
        recipient_ids=sorted({user.pk for user in recipients}),
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        data=data,
    )
    transaction.on_commit(lambda: enqueue_dispatch(event.pk))
    return event


# After a failed publish this process leaves the broker alone for a while: each
# attempt costs a connect timeout, and the replay hands the events out anyway.
BROKER_REST_SECONDS = 30.0
_broker_resting_until = 0.0


def enqueue_dispatch(event_id: int) -> bool:
    """Hands the event to Celery; False (and a log line) when the broker is away."""
    return enqueue(named_task("notifications.dispatch_event"), event_id=event_id)


def enqueue(task, **kwargs) -> bool:
    """Hands outbox work to Celery; False (and a log line) when the broker is away: the replay
    hands it out later. Every publisher of the outbox goes through here and shares the breaker."""
    global _broker_resting_until  # a per-process circuit breaker, nothing more

    if time.monotonic() < _broker_resting_until:
        logger.info(
            "broker resting; the outbox replay will hand out the work", extra={"task": task.name, **kwargs}
        )
        return False
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the work for the replay
        _broker_resting_until = time.monotonic() + BROKER_REST_SECONDS
        logger.warning(
            "outbox work not enqueued; the outbox replay will",
            extra={"task": task.name, **kwargs, "error": repr(exc)},
        )
        return False
    return True
