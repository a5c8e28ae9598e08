"""Reads of the public subscriptions: the subscriber a confirmation link still opens; the writes
(subscribing, confirming, unsubscribing, the mailings) are in groups.subscriptions."""

from datetime import timedelta

from django.utils import timezone

from groups.models import Subscriber

CONFIRMATION_VALID_FOR = timedelta(days=7)


def open_confirmation(token: str) -> Subscriber | None:
    """The subscriber whose unused, unexpired confirmation link this is."""
    if not token:
        return None
    return Subscriber.objects.filter(
        confirmation_token=token, confirmation_sent_at__gte=timezone.now() - CONFIRMATION_VALID_FOR
    ).first()
