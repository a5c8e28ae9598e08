"""Account mails (codes, resets, notices) are sent by a worker, once, and the replay finds the lost ones."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.notifications import journal, outbox, tasks
from portal.notifications.models import Mail
from tests.factories import UserFactory
from tests.portal.test_accounts import sign_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _wait_for_mail(seconds: float = 20) -> list:
    """The outbox once the worker has sent and marked every account mail (or the time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (
        not mail.outbox or Mail.objects.exclude(status=Mail.Status.SENT).exists()
    ):
        time.sleep(0.05)
    return mail.outbox


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_verification_code_is_mailed_by_the_worker_not_in_the_request(celery_worker):
    mail.outbox.clear()
    client = Client()

    response = sign_up(client, email="worker@example.org")

    assert response["Location"] == "/accounts/confirm-email/"
    [message] = _wait_for_mail()
    assert message.to == ["worker@example.org"]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)
    sent = Mail.objects.get()
    assert (sent.status, sent.recipient, sent.text, sent.html) == (
        Mail.Status.SENT,
        "worker@example.org",
        "",
        "",
    )
    client.post("/accounts/confirm-email/", {"code": code})
    assert client.session["_auth_user_id"]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_reset_for_an_unknown_address_is_written_and_dropped_by_the_worker_without_a_mail(celery_worker):
    mail.outbox.clear()
    member = UserFactory()

    Client().post("/accounts/password/reset/", {"email": "unbekannt@example.org"})
    Client().post("/accounts/password/reset/", {"email": member.email})

    [message] = _wait_for_mail()
    assert message.to == [member.email]
    deadline = time.monotonic() + 10
    while Mail.objects.filter(status=Mail.Status.SKIPPED).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(Mail.objects.values_list("recipient", "status")) == [(member.email, Mail.Status.SENT)]


def test_the_request_only_writes_the_mail(client, mailoutbox):
    member = UserFactory()

    client.post("/accounts/password/reset/", {"email": member.email})

    assert mailoutbox == []
    [waiting] = Mail.objects.all()
    assert (waiting.status, waiting.recipient) == (Mail.Status.PENDING, member.email)
    assert "/accounts/password/reset/key/" in waiting.text


def test_sending_twice_mails_once(client, mailoutbox):
    UserFactory(email="einmal@example.org")
    client.post("/accounts/password/reset/", {"email": "einmal@example.org"})
    waiting = Mail.objects.get()

    assert outbox.send(waiting.pk) is True
    assert outbox.send(waiting.pk) is False

    assert [message.to for message in mailoutbox] == [["einmal@example.org"]]
    assert mailoutbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_replay_hands_out_a_mail_the_broker_lost(client, mailoutbox, monkeypatch):
    member = UserFactory()
    client.post("/accounts/password/reset/", {"email": member.email})
    Mail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    handed_out = []
    monkeypatch.setattr(tasks.send_mails, "apply_async", lambda kwargs: handed_out.append(kwargs))

    assert tasks.replay_outbox()["mails"] == 1

    [kwargs] = handed_out
    tasks.send_mails(**kwargs)
    assert [message.to for message in mailoutbox] == [[member.email]]


def test_the_replay_tells_a_dead_workers_sent_mail_from_its_unsent_one(client, mailoutbox):
    for member in (UserFactory(), UserFactory()):
        client.post("/accounts/password/reset/", {"email": member.email})
    sent_before_dying, never_sent = Mail.objects.order_by("pk")
    Mail.objects.update(
        status=Mail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=11),
        created_at=timezone.now() - timedelta(minutes=11),
    )
    journal.note_sent(sent_before_dying.pk, namespace=outbox.JOURNAL_NAMESPACE)

    assert outbox.recover() == [never_sent.pk]

    sent_before_dying.refresh_from_db()
    assert (sent_before_dying.status, sent_before_dying.text) == (Mail.Status.SENT, "")
    assert Mail.objects.get(pk=never_sent.pk).status == Mail.Status.PENDING
    assert mailoutbox == []
