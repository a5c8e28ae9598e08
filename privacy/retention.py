"""What has no purpose any more is deleted on a fixed schedule (beat, portal/celery.py).

Each function is one rule of the privacy page's "Speicherdauer" list
(portal/legal/datenschutz.md); keep both in step.
"""

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.notifications import tallies
from portal.notifications.models import Delivery

# How long the record of a delivered notification or information mail is kept: long enough to
# answer "did I get that mail?", not longer.
KEEP_DELIVERY_JOURNAL = timedelta(days=90)


def forget_delivered_mail() -> int:
    """Deletes the journal rows of mails that were sent, skipped or gave up, KEEP_DELIVERY_JOURNAL ago."""
    cutoff = timezone.now() - KEEP_DELIVERY_JOURNAL
    done = [Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.FAILED]
    # Counted first (the dashboard's figures), whether or not the beat's rollup ran lately.
    tallies.roll_up_deliveries()
    # Mails to addresses (subscribers, guests, accounts) go sooner: the outbox's own cleanup.
    notifications, _ = Delivery.objects.filter(status__in=done, created_at__lt=cutoff).delete()
    return notifications


def forget_old_sessions() -> int:
    """Deletes the sessions list's rows (address, browser) of sessions that have ended or expired."""
    now = timezone.now()
    Session.objects.filter(expire_date__lt=now).delete()
    live = Session.objects.filter(expire_date__gte=now).values("session_key")
    deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
