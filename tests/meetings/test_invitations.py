"""Invitations: an account hears of it at once; a guest without an account gets a mail with the ICS."""

import datetime
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from meetings import guests, selectors_calendar, services
from meetings.models import Meeting, Participant
from meetings.selectors_calendar import BERLIN
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Mail
from tests.factories import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, TentativeMeetingFactory
from tests.outbox import deliver_all, deliver_mails


def _meeting(space, **kwargs) -> Meeting:
    return MeetingFactory(
        space=space,
        title="Sitzung der Fachgruppe: Ziele",
        starts_at=datetime.datetime(2026, 12, 1, 10, tzinfo=BERLIN),
        ends_at=datetime.datetime(2026, 12, 1, 12, tzinfo=BERLIN),
        place="Handwerkskammer Musterstadt, Raum 3",
        video_url="https://meet.example.org/ziele",
        **kwargs,
    )


@pytest.fixture
def guest_mail_at_once(outbox_at_once, django_capture_on_commit_callbacks):
    """The guest's mail goes out after the commit as the worker would send it."""
    return django_capture_on_commit_callbacks


def test_inviting_an_account_tells_that_person_at_once(
    client, coordinator, partner, inner_member, fachgruppe
):
    meeting = _meeting(fachgruppe)
    client.force_login(coordinator)

    client.post(
        f"/meetings/{meeting.pk}/participants/invite/", {"invite_account": "1", "email": partner.email}
    )

    [event] = Event.objects.filter(kind=Kind.MEETING_INVITED)
    assert (event.audience, event.recipient_ids, event.subject) == (
        Event.Audience.PEOPLE,
        [partner.pk],
        meeting,
    )
    deliver_all()
    [message] = [m for m in mail.outbox if m.to == [partner.email]]
    assert message.subject == "[Fachgruppe Handwerk] Einladung: Sitzung der Fachgruppe: Ziele"
    assert "Termin: Dienstag, 1. Dezember 2026, 10:00–12:00 Uhr" in message.body
    assert f"http://testserver/meetings/{meeting.pk}/" in message.body
    assert not [m for m in mail.outbox if m.to == [inner_member.email]]


def test_an_english_account_reads_its_invitation_in_english(coordinator, fachgruppe):
    english = UserFactory(language="en")
    fachgruppe.memberships.create(user=english)
    meeting = _meeting(fachgruppe)

    services.participant_invite_account(meeting=meeting, by=coordinator, user=english)
    deliver_all()

    [message] = mail.outbox
    assert message.subject == "[Fachgruppe Handwerk] Invitation: Sitzung der Fachgruppe: Ziele"
    assert "Date: Tuesday, 1 December 2026, 10:00–12:00" in message.body


def test_a_refused_invitation_records_no_event(coordinator, outsider, partner, inner):
    meeting = _meeting(inner)

    with pytest.raises(ValidationError, match="kann diese Sitzung nicht sehen"):
        services.participant_invite_account(meeting=meeting, by=coordinator, user=partner)

    assert not Participant.objects.filter(meeting=meeting).exists()
    assert not Event.objects.filter(kind=Kind.MEETING_INVITED).exists()


def test_a_guest_gets_the_details_and_the_calendar_file_by_mail(
    client, coordinator, fachgruppe, guest_mail_at_once
):
    meeting = _meeting(fachgruppe, agenda_published_at=datetime.datetime(2026, 11, 20, tzinfo=BERLIN))
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    client.force_login(coordinator)

    with guest_mail_at_once(execute=True):
        client.post(
            f"/meetings/{meeting.pk}/participants/invite/",
            {
                "invite_guest": "1",
                "guest-name": "Katrin Weiß",
                "guest-organisation": "itb",
                "guest-email": "weiss@example.org",
            },
        )

    [message] = mail.outbox
    assert message.to == ["weiss@example.org"]
    assert message.reply_to == [coordinator.email]
    assert message.subject == "[Fachgruppe Handwerk] Einladung: Sitzung der Fachgruppe: Ziele"
    assert "Guten Tag Katrin Weiß," in message.body
    assert "Termin: Dienstag, 1. Dezember 2026, 10:00–12:00 Uhr" in message.body
    assert "Ort: Handwerkskammer Musterstadt, Raum 3" in message.body
    assert "Videokonferenz: https://meet.example.org/ziele" in message.body
    assert "1. Begrüßung" in message.body
    # The meeting is for the Fachgruppe: its page would only ask the guest to sign in.
    assert f"/meetings/{meeting.pk}/" not in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"sitzung-{meeting.pk}.ics", "text/calendar")
    [event] = Calendar.from_ical(content).events
    assert str(event["UID"]) == selectors_calendar.meeting_uid(meeting)
    assert event.decoded("DTSTART") == datetime.datetime(2026, 12, 1, 10, tzinfo=BERLIN)
    assert "https://meet.example.org/ziele" in str(event["LOCATION"])


def test_a_guest_of_a_tentative_meeting_gets_the_period_and_no_calendar_file(
    coordinator, fachgruppe, guest_mail_at_once
):
    meeting = TentativeMeetingFactory(space=fachgruppe, audience=None)

    with guest_mail_at_once(execute=True):
        services.participant_invite_guest(
            meeting=meeting, by=coordinator, name="Gast", email="gast@example.org"
        )

    [message] = mail.outbox
    assert "Vorgesehener Zeitraum: Oktober/November 2026" in message.body
    assert message.attachments == []
    assert f"http://testserver/meetings/{meeting.pk}/" in message.body


def test_a_guest_without_an_address_gets_no_mail(coordinator, fachgruppe, guest_mail_at_once):
    meeting = _meeting(fachgruppe)

    with guest_mail_at_once(execute=True) as callbacks:
        services.participant_invite_guest(meeting=meeting, by=coordinator, name="Herr Gast")

    # Nothing enqueued (forgetting the shared reads after the commit is no mail).
    assert [callback for callback in callbacks if callback.__module__ != "portal.readcache"] == []
    assert mail.outbox == []


def test_no_mail_for_a_meeting_cancelled_before_it_went_out(coordinator, fachgruppe):
    meeting = _meeting(fachgruppe)
    guest = services.participant_invite_guest(
        meeting=meeting, by=coordinator, name="Gast", email="g@example.org"
    )
    services.meeting_cancel(meeting=meeting, by=coordinator)

    deliver_mails()

    assert Mail.objects.get(template=guests.INVITATION_MAIL, params__participant=guest.pk).status == (
        Mail.Status.SKIPPED
    )
    assert not [message for message in mail.outbox if "Einladung" in message.subject]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_guest_invitation_goes_out_through_the_worker(celery_worker, coordinator, fachgruppe):
    meeting = _meeting(fachgruppe)
    mail.outbox.clear()

    services.participant_invite_guest(
        meeting=meeting, by=coordinator, name="Gast", email="worker@example.org"
    )

    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    [message] = mail.outbox
    assert message.to == ["worker@example.org"]
    assert message.attachments[0][0] == f"sitzung-{meeting.pk}.ics"
