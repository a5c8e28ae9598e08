"""The mails to subscribers go through the portal's outbox (notifications.Mail): the pending rows
of the retired SubscriberDelivery become posted mails, keyed as groups.subscriptions keys them,
and the table goes."""

from django.db import migrations


def pending_into_the_outbox(apps, schema_editor):
    SubscriberDelivery = apps.get_model("groups", "SubscriberDelivery")
    Mail = apps.get_model("notifications", "Mail")
    pending = list(
        SubscriberDelivery.objects.filter(sent_at__isnull=True, skipped=False).values_list(
            "pk", "page_id", "subscriber_id", "subscriber__email", "subscriber__language", "created_at"
        )
    )
    if not pending:
        return
    try:
        # A worker that died after sending but before its commit noted the mail here.
        from portal.notifications import journal

        noted = journal.which_were_sent([row[0] for row in pending], namespace="subscriptions")
    except Exception:  # noqa: BLE001 - no cache during the migration: every pending mail is posted
        noted = set()
    Mail.objects.bulk_create(
        [
            Mail(
                template="groups/information_published",
                recipient=email,
                params={"page": page_id, "subscriber": subscriber_id, "language": language or None},
                key=f"information:{page_id}:{subscriber_id}",
                status="pending",
            )
            for pk, page_id, subscriber_id, email, language, _created in pending
            if pk not in noted
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0012_user_erased_at"),
        ("notifications", "0014_one_mail_outbox"),
    ]

    operations = [
        migrations.RunPython(pending_into_the_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="SubscriberDelivery"),
    ]
