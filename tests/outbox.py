"""The outbox delivered as the worker would, within the test: every pending event dispatched and its
immediate mails sent."""

from portal.notifications import delivery
from portal.notifications.models import Event


def deliver_all() -> None:
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)
