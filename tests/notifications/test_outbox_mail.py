"""Mails to an address (space invitations, guests, subscribers, account mails) go through the one
outbox: written in the request, sent by a worker, once, and found again by the replay when the
broker was away."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from groups import services as group_services
from meetings import guests
from meetings import services as meeting_services
from meetings.selectors_calendar import BERLIN
from portal.notifications import outbox, tasks
from portal.notifications.models import Mail
from tests.factories.meetings import MeetingFactory
from tests.outbox import deliver_mails


@pytest.fixture
def handed_out(monkeypatch):
    """What the request hands to the broker, instead of a broker."""
    work = []
    monkeypatch.setattr(tasks.send_mails, "apply_async", lambda kwargs, **options: work.append(kwargs))
    return work


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(kwargs, **options):
        raise OSError("no broker")

    monkeypatch.setattr(tasks.send_mails, "apply_async", refuse)


def test_a_space_invitation_is_written_in_the_request_and_sent_by_the_worker(
    client, coordinator, inner, outsider, handed_out, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/spaces/{inner.slug}/invite/", {"email": outsider.email, "role": "member"})

    assert response.status_code == 302
    assert mail.outbox == []
    [waiting] = Mail.objects.all()
    assert (waiting.recipient, waiting.status) == (outsider.email, Mail.Status.PENDING)
    assert handed_out == [{"mail_ids": [waiting.pk]}]

    tasks.send_mails(**handed_out[0])

    [message] = mail.outbox
    assert message.to == [outsider.email]
    assert message.subject == f"[Fachgruppe Handwerk] Einladung in den Raum „{inner.name}“"
    invitation = outsider_invitation(inner, outsider)
    assert invitation.token in message.body
    # On the SITE_URL domain of the test settings (http://testserver).
    assert message.extra_headers["Message-ID"] == f"<mail-{waiting.pk}@testserver>"
    assert Mail.objects.get().status == Mail.Status.SENT


def outsider_invitation(space, user):
    return space.invitations.get(email=user.email)


def test_a_revoked_invitation_is_not_sent(coordinator, inner, outsider):
    invitation = group_services.invitation_create(space=inner, email=outsider.email, by=coordinator)
    group_services.invitation_send(invitation=invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])

    deliver_mails()

    assert mail.outbox == []
    assert Mail.objects.get().status == Mail.Status.SKIPPED


def test_posting_the_same_key_twice_is_one_mail(coordinator, inner, outsider):
    invitation = group_services.invitation_create(space=inner, email=outsider.email, by=coordinator)
    group_services.invitation_send(invitation=invitation)
    group_services.invitation_send(invitation=invitation)

    deliver_mails()
    deliver_mails()

    assert Mail.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[outsider.email]]


def test_with_the_broker_down_a_guests_invitation_waits_and_the_replay_sends_it_with_its_calendar(
    coordinator, fachgruppe, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    meeting = MeetingFactory(
        space=fachgruppe,
        title="Ziele 2027",
        starts_at=datetime.datetime(2026, 12, 1, 10, tzinfo=BERLIN),
        ends_at=datetime.datetime(2026, 12, 1, 12, tzinfo=BERLIN),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.participant_invite_guest(
            meeting=meeting, by=coordinator, name="Frau Gast", email="gast@example.org"
        )

    # Nothing went out from the request, though the broker refused the work.
    assert mail.outbox == []
    [waiting] = Mail.objects.filter(template=guests.INVITATION_MAIL)
    assert waiting.status == Mail.Status.PENDING

    handed_out = []
    monkeypatch.setattr(tasks.send_mails, "apply_async", lambda kwargs, **options: handed_out.append(kwargs))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert tasks.replay_outbox()["mails"] == 1
    tasks.send_mails(**handed_out[0])

    [message] = mail.outbox
    assert message.to == ["gast@example.org"]
    assert message.reply_to == [coordinator.email]
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"sitzung-{meeting.pk}.ics", "text/calendar")
    assert "METHOD:REQUEST" in ics


def test_a_mail_that_cannot_be_built_is_tried_again_then_given_up(coordinator, inner, outsider, monkeypatch):
    def broken(mail):
        raise ValueError("template missing")

    monkeypatch.setitem(outbox._BUILDERS, group_services.SPACE_INVITATION_MAIL, broken)
    invitation = group_services.invitation_create(space=inner, email=outsider.email, by=coordinator)
    group_services.invitation_send(invitation=invitation)
    waiting = Mail.objects.get()

    for _attempt in range(outbox.MAX_FAILURES):
        with pytest.raises(ValueError, match="template missing"):
            outbox.send(waiting.pk)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.failures) == (Mail.Status.FAILED, outbox.MAX_FAILURES)
    assert "template missing" in waiting.last_error
    assert outbox.send(waiting.pk) is False
    assert mail.outbox == []
