"""One mail that cannot be built or sent never holds up another, and ends visibly failed.

The poisoned mails of these tests are real: a title with line breaks (from a
hand-made POST) and an address with a line break in it, which Python's email
library refuses to write.
"""

import email
import email.policy
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from groups import services
from groups.models import Membership, User
from portal.email import PortalEmail
from portal.notifications import delivery, journal, outbox
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event, Mail, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _members_who_want_threads_at_once(space, count: int) -> list[User]:
    people = [UserFactory() for _ in range(count)]
    for person in people:
        Membership.objects.create(space=space, user=person)
        Preference.objects.create(user=person, kind=Kind.THREAD_CREATED, channel=Channel.IMMEDIATE)
    return people


def _replay_and_send() -> int:
    """One minute of beat with a worker behind it: what the replay hands out, sent."""
    return sum(delivery.send_immediate(batch) for batch in delivery.recover()["mail_batches"])


def test_a_title_with_line_breaks_is_mailed_with_a_one_line_subject_and_no_injected_header(fachgruppe):
    author, reader = _members_who_want_threads_at_once(fachgruppe, 2)
    services.thread_create(
        space=fachgruppe, author=author, title="Ausbildung\r\nBcc: alle@example.org\n2027", body="Text"
    )
    [batch] = delivery.dispatch(Event.objects.get().pk)

    assert delivery.send_immediate(batch) == 1

    [message] = mail.outbox
    assert message.subject == (
        "[Fachgruppe Handwerk] Neue Diskussion in Fachgruppe Handwerk: Ausbildung Bcc: alle@example.org 2027"
    )
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert parsed["To"] == reader.email
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_poisoned_mail_ahead_of_a_good_one_does_not_hold_it_up_and_ends_failed(fachgruppe):
    author, *readers = _members_who_want_threads_at_once(fachgruppe, 3)
    services.thread_create(space=fachgruppe, author=author, title="Ausbildung 2027", body="Text")
    [batch] = delivery.dispatch(Event.objects.get().pk)
    # The batch's first mail goes to an address that cannot be written into a header (its
    # verified EmailAddress row stays as it was); the one behind it is good.
    poisoned = Delivery.objects.get(pk=batch[0])
    broken = poisoned.user
    [good] = [reader for reader in readers if reader.pk != broken.pk]
    User.objects.filter(pk=broken.pk).update(email="kaputt\n@example.org")

    assert delivery.send_immediate(batch) == 1

    assert [m.to for m in mail.outbox] == [[good.email]]
    assert Delivery.objects.get(user=good).status == Delivery.Status.SENT
    poisoned.refresh_from_db()
    assert (poisoned.status, poisoned.failures) == (Delivery.Status.PENDING, 1)
    assert "ValueError" in poisoned.last_error
    assert poisoned.next_attempt_at > timezone.now()

    # The replay does not pick it again before its pause is over, then tries it with backoff.
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    assert delivery.recover()["mail_batches"] == []
    moment = timezone.now()
    for pause in delivery.RETRY_DELAYS:
        moment += pause + timedelta(seconds=61)
        with time_machine.travel(moment, tick=False):
            assert delivery.recover()["mail_batches"] == [[poisoned.pk]]
            assert _replay_and_send() == 0

    poisoned.refresh_from_db()
    assert poisoned.status == Delivery.Status.FAILED
    assert poisoned.failures == delivery.MAX_FAILURES == len(delivery.RETRY_DELAYS) + 1
    assert poisoned.next_attempt_at is None
    assert "ValueError" in poisoned.last_error
    with time_machine.travel(moment + timedelta(days=30), tick=False):
        assert delivery.recover()["mail_batches"] == []
        assert delivery.send_immediate([poisoned.pk]) == 0
    assert len(mail.outbox) == 1


class _DropsTheConnectionAtTheSecondMail(EmailBackend):
    sent = 0

    def send_messages(self, messages):
        if _DropsTheConnectionAtTheSecondMail.sent == 1:
            _DropsTheConnectionAtTheSecondMail.sent += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        _DropsTheConnectionAtTheSecondMail.sent += 1
        return super().send_messages(messages)


def test_a_lost_connection_stops_the_batch_and_puts_the_untried_mails_back_at_once(fachgruppe, settings):
    author, *_readers = _members_who_want_threads_at_once(fachgruppe, 4)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._DropsTheConnectionAtTheSecondMail"}}
    _DropsTheConnectionAtTheSecondMail.sent = 0
    services.thread_create(space=fachgruppe, author=author, title="Ausbildung 2027", body="Text")
    [batch] = delivery.dispatch(Event.objects.get().pk)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        delivery.send_immediate(batch)

    first, in_hand, *untried = batch
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses[first] == Delivery.Status.SENT
    # The mail in hand may have caused it: it waits for its pause. The others were never tried.
    assert Delivery.objects.get(pk=in_hand).failures == 1
    assert [statuses[pk] for pk in untried] == [Delivery.Status.PENDING] * len(untried)
    assert set(Delivery.objects.filter(pk__in=untried).values_list("failures", flat=True)) == {0}
    # The task's retry sends the untried ones and leaves the one in its pause alone.
    assert delivery.send_immediate(batch) == len(untried)
    assert Delivery.objects.get(pk=in_hand).status == Delivery.Status.PENDING
    assert len(mail.outbox) == 1 + len(untried)


def test_staff_see_a_failed_mail_with_its_error_and_can_try_it_again(staff_client, fachgruppe):
    author, broken = _members_who_want_threads_at_once(fachgruppe, 2)
    services.thread_create(space=fachgruppe, author=author, title="Ausbildung 2027", body="Text")
    delivery.dispatch(Event.objects.get().pk)
    failed = Delivery.objects.get(user=broken)
    Delivery.objects.filter(pk=failed.pk).update(
        status=Delivery.Status.FAILED,
        failures=delivery.MAX_FAILURES,
        last_error="ValueError('Header values')",
    )

    listing = staff_client.get("/admin/notifications/delivery/?status__exact=failed").content.decode()
    assert "Fehlgeschlagen" in listing
    assert "ValueError(&#x27;Header values&#x27;)" in listing
    events = staff_client.get("/admin/notifications/event/").content.decode()
    assert '<td class="field-failed">1</td>' in events

    response = staff_client.post(
        "/admin/notifications/delivery/", {"action": "retry", "_selected_action": [failed.pk]}
    )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.failures) == (Delivery.Status.PENDING, 0)
    assert delivery.send_immediate([failed.pk]) == 1
    assert [m.to for m in mail.outbox] == [[broken.email]]


def test_the_notebook_notes_every_mail_it_was_given(fachgruppe):
    with journal.Notebook(rows=Delivery.objects.none(), sent={}) as notebook:
        for pk in (101, 102, 103):
            notebook.note(pk)

    assert journal.which_were_sent([100, 101, 102, 103]) == {101, 102, 103}
    journal.forget([101, 102, 103])


class _SeesTheRowsOfWhatLeftBefore(EmailBackend):
    """Counts, as each mail goes, the mails already sent that the database has marked sent."""

    rows = Delivery.objects.all()
    sent_status = Delivery.Status.SENT
    seen: list[int] = []
    left: list[int] = []

    def send_messages(self, messages):
        cls = _SeesTheRowsOfWhatLeftBefore
        cls.seen.append(cls.rows.filter(pk__in=cls.left, status=cls.sent_status).count())
        cls.left.append(_row_id(messages[0]))
        return super().send_messages(messages)


def _row_id(message) -> int:
    return int(message.extra_headers["Message-ID"].split("-")[1].split("@")[0])


@pytest.mark.parametrize("kind", ["notification", "addressed mail"])
def test_the_mails_that_left_are_marked_sent_in_the_database_every_few_mails(
    kind, fachgruppe, settings, monkeypatch
):
    """A worker that dies mid-batch leaves the mails that left marked sent on their rows but for
    the last few, where a restart of Redis without persistence cannot take the note away
    (test_reliability.py)."""
    monkeypatch.setattr(journal, "ROW_NOTES_EVERY", 2)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}._SeesTheRowsOfWhatLeftBefore"}}
    _SeesTheRowsOfWhatLeftBefore.seen, _SeesTheRowsOfWhatLeftBefore.left = [], []
    if kind == "notification":
        author, *_readers = _members_who_want_threads_at_once(fachgruppe, 6)
        services.thread_create(space=fachgruppe, author=author, title="Ausbildung 2027", body="Text")
        [batch] = delivery.dispatch(Event.objects.get().pk)
        _SeesTheRowsOfWhatLeftBefore.rows = Delivery.objects.all()
        _SeesTheRowsOfWhatLeftBefore.sent_status = Delivery.Status.SENT
        assert delivery.send_immediate(batch) == 5
        rows = Delivery.objects.filter(pk__in=batch)
    else:
        batch = [
            outbox.record(
                message=PortalEmail(subject=f"Hallo {n}", body="Text", to=[f"a{n}@example.org"]), template="t"
            ).pk
            for n in range(5)
        ]
        _SeesTheRowsOfWhatLeftBefore.rows = Mail.objects.all()
        _SeesTheRowsOfWhatLeftBefore.sent_status = Mail.Status.SENT
        assert outbox.send_mails(batch) == 5
        rows = Mail.objects.filter(pk__in=batch)

    assert _SeesTheRowsOfWhatLeftBefore.seen == [0, 0, 2, 2, 4]
    assert set(rows.values_list("status", flat=True)) == {_SeesTheRowsOfWhatLeftBefore.sent_status}
