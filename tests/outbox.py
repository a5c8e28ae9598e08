"""The outbox delivered as the worker would, within the test: every pending event dispatched and its
immediate mails sent, and every pending mail to an address (portal.notifications.outbox)."""

from portal.notifications import delivery, outbox
from portal.notifications.models import Event, Mail


def deliver_all() -> None:
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)
    deliver_mails()


def deliver_mails() -> None:
    waiting = Mail.objects.filter(status__in=[Mail.Status.PENDING, Mail.Status.SKIPPED])
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    for mail_id in ids:
        outbox.send(mail_id)
