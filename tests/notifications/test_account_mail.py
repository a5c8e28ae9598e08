"""Account mails (codes, resets, notices) are sent by a worker, once, and the replay finds the lost ones."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.notifications import account_mail, journal, tasks
from portal.notifications.models import AccountMail
from tests.factories import UserFactory
from tests.portal.test_accounts import sign_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _wait_for_mail(seconds: float = 20) -> list:
    """The outbox once the worker has sent and marked every account mail (or the time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (
        not mail.outbox or AccountMail.objects.exclude(status=AccountMail.Status.SENT).exists()
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
    sent = AccountMail.objects.get()
    assert (sent.status, sent.recipient, sent.text, sent.html) == (
        AccountMail.Status.SENT,
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
    while (
        AccountMail.objects.filter(status=AccountMail.Status.SKIPPED).exists() and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert list(AccountMail.objects.values_list("recipient", "status")) == [
        (member.email, AccountMail.Status.SENT)
    ]


def test_the_request_only_writes_the_mail(client, mailoutbox):
    member = UserFactory()

    client.post("/accounts/password/reset/", {"email": member.email})

    assert mailoutbox == []
    [waiting] = AccountMail.objects.all()
    assert (waiting.status, waiting.recipient) == (AccountMail.Status.PENDING, member.email)
    assert "/accounts/password/reset/key/" in waiting.text


def test_sending_twice_mails_once(client, mailoutbox):
    UserFactory(email="einmal@example.org")
    client.post("/accounts/password/reset/", {"email": "einmal@example.org"})
    waiting = AccountMail.objects.get()

    assert account_mail.send(waiting.pk) is True
    assert account_mail.send(waiting.pk) is False

    assert [message.to for message in mailoutbox] == [["einmal@example.org"]]
    assert mailoutbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_the_replay_hands_out_a_mail_the_broker_lost(client, mailoutbox, monkeypatch):
    member = UserFactory()
    client.post("/accounts/password/reset/", {"email": member.email})
    AccountMail.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    handed_out = []
    monkeypatch.setattr(tasks.send_account_mail, "apply_async", lambda kwargs: handed_out.append(kwargs))

    assert tasks.replay_outbox()["account_mails"] == 1

    [kwargs] = handed_out
    tasks.send_account_mail(**kwargs)
    assert [message.to for message in mailoutbox] == [[member.email]]


def test_the_replay_tells_a_dead_workers_sent_mail_from_its_unsent_one(client, mailoutbox):
    for member in (UserFactory(), UserFactory()):
        client.post("/accounts/password/reset/", {"email": member.email})
    sent_before_dying, never_sent = AccountMail.objects.order_by("pk")
    AccountMail.objects.update(
        status=AccountMail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=11),
        created_at=timezone.now() - timedelta(minutes=11),
    )
    journal.note_sent(sent_before_dying.pk, namespace=account_mail.JOURNAL_NAMESPACE)

    assert account_mail.recover() == [never_sent.pk]

    sent_before_dying.refresh_from_db()
    assert (sent_before_dying.status, sent_before_dying.text) == (AccountMail.Status.SENT, "")
    assert AccountMail.objects.get(pk=never_sent.pk).status == AccountMail.Status.PENDING
    assert mailoutbox == []
