"""What has no purpose any more is deleted on a fixed schedule (beat, portal/celery.py).

Each function is one rule of the privacy page's "Speicherdauer" list
(portal/legal/datenschutz.md); keep both in step.
"""

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.utils import timezone

from groups.models import SubscriberDelivery
from portal.notifications.models import Delivery

# How long the record of a delivered notification or information mail is kept: long enough to
# answer "did I get that mail?", not longer.
KEEP_DELIVERY_JOURNAL = timedelta(days=90)


def forget_delivered_mail() -> int:
    """Deletes the journal rows of mails that were sent, skipped or gave up, KEEP_DELIVERY_JOURNAL ago."""
    cutoff = timezone.now() - KEEP_DELIVERY_JOURNAL
    done = [Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.FAILED]
    notifications, _ = Delivery.objects.filter(status__in=done, created_at__lt=cutoff).delete()
    information, _ = (
        SubscriberDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(sent_at__isnull=True, skipped=False)
        .delete()
    )
    return notifications + information


def forget_old_sessions() -> int:
    """Deletes the sessions list's rows (address, browser) of sessions that have ended or expired."""
    now = timezone.now()
    Session.objects.filter(expire_date__lt=now).delete()
    live = Session.objects.filter(expire_date__gte=now).values("session_key")
    deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
