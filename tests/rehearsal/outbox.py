"""The outbox's state as JSON, for `make rehearsal`; run in the portal's environment.

`python -m tests.rehearsal.outbox [--after-delivery N]` prints what is still to
do (events not dispatched, mails pending, claimed or failed, account mails,
subscriber mails), the newest delivery's id, and the ids of every notification
mail after delivery N marked sent, whose Message-ID
(`<notification-ID@domain>`, portal.notifications.delivery) the orchestrator then
looks for in the mail sink: a sent mail missing there was lost, one there twice
was sent twice. The demo portal comes with a history of deliveries (sent long
ago, two failed for good) that no mail of the run's sink can match: the
deliveries up to N (there before the load) are left out.
"""

import argparse
import json
import sys

import django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--after-delivery", type=int, default=0)
    after = parser.parse_args().after_delivery
    django.setup()
    from django.db.models import Count

    from groups.subscriptions import CONFIRMATION_MAIL, PAGE_MAIL
    from portal.notifications.kinds import Channel
    from portal.notifications.models import Delivery, Event, Mail, Notification

    runs = Delivery.objects.filter(pk__gt=after)
    deliveries = {
        f"{row['channel']}:{row['status']}": row["n"]
        for row in runs.values("channel", "status").annotate(n=Count("pk"))
    }
    state = {
        "events": Event.objects.count(),
        "last_delivery": Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "events_pending": Event.objects.filter(state=Event.State.PENDING).count(),
        "events_by_kind": dict(Event.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")),
        "deliveries": deliveries,
        "immediate_open": runs.filter(
            channel=Channel.IMMEDIATE, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        ).count(),
        "immediate_failed": runs.filter(channel=Channel.IMMEDIATE, status=Delivery.Status.FAILED).count(),
        "sent_mail_ids": list(
            runs.filter(channel=Channel.IMMEDIATE, status=Delivery.Status.SENT).values_list("pk", flat=True)
        ),
        "notifications": Notification.objects.count(),
        "notifications_twice": Notification.objects.values("event", "user")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
        # Every mail to an address (accounts, space invitations, guests, subscribers) is a Mail row.
        "account_mail_open": Mail.objects.filter(status__in=[Mail.Status.PENDING, Mail.Status.SENDING])
        .exclude(template__in=[CONFIRMATION_MAIL, PAGE_MAIL])
        .count(),
        "subscriber_mail_open": Mail.objects.filter(
            status__in=[Mail.Status.PENDING, Mail.Status.SENDING], template__in=[CONFIRMATION_MAIL, PAGE_MAIL]
        ).count(),
    }
    print(json.dumps(state))
    return 0


if __name__ == "__main__":
    sys.exit(main())
