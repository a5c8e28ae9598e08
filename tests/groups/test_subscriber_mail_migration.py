"""The retired SubscriberDelivery table: its pending mails move into the outbox, the sent and
skipped ones do not (groups migration 0013)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("groups", "0012_user_erased_at"), ("notifications", "0014_one_mail_outbox")]
AFTER = [("groups", "0013_subscriber_mails_in_the_outbox")]


@pytest.mark.django_db(transaction=True)
def test_pending_subscriber_mails_are_posted_to_the_outbox_and_the_rest_left_behind():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Space = apps.get_model("groups", "Space")
    InformationPage = apps.get_model("groups", "InformationPage")
    Subscriber = apps.get_model("groups", "Subscriber")
    SubscriberDelivery = apps.get_model("groups", "SubscriberDelivery")
    space = Space.objects.create(name="Fachgruppe", slug="fg-migration")
    page = InformationPage.objects.create(space=space, title="Neu", slug="neu", published_at=timezone.now())
    waiting, sent, gone = (
        Subscriber.objects.create(email=f"{name}@example.org", token=name, confirmed_at=timezone.now())
        for name in ("wartet", "versandt", "weg")
    )
    SubscriberDelivery.objects.create(page=page, subscriber=waiting)
    SubscriberDelivery.objects.create(page=page, subscriber=sent, sent_at=timezone.now())
    SubscriberDelivery.objects.create(page=page, subscriber=gone, skipped=True)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from portal.notifications.models import Mail

    [mail] = Mail.objects.all()
    assert (mail.template, mail.recipient, mail.status) == (
        "groups/information_published",
        "wartet@example.org",
        Mail.Status.PENDING,
    )
    assert mail.key == f"information:{page.pk}:{waiting.pk}"
    assert mail.params["page"] == page.pk
