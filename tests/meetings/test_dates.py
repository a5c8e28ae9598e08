"""Meeting dates follow the reader's language: German with "Uhr", English without, day before month."""

import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from pypdf import PdfReader

from meetings import minutes, polls
from meetings.models import Meeting, Minutes
from meetings.selectors_calendar import BERLIN
from portal import dates
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory, TentativeMeetingFactory
from tests.outbox import deliver_all

GERMAN = "Dienstag, 1. Dezember 2026, 10:00–12:00 Uhr"
ENGLISH = "Tuesday, 1 December 2026, 10:00–12:00"


def _at(day: int, hour: int, month: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=BERLIN)


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("language", "starts_at", "ends_at", "expected"),
    [
        ("de", _at(1, 10), _at(1, 12), GERMAN),
        ("en", _at(1, 10), _at(1, 12), ENGLISH),
        ("de", _at(1, 10), None, "Dienstag, 1. Dezember 2026, 10:00 Uhr"),
        ("en", _at(1, 10), None, "Tuesday, 1 December 2026, 10:00"),
        (
            "de",
            _at(1, 10),
            _at(2, 16),
            "Dienstag, 1. Dezember 2026, 10:00 Uhr bis Mittwoch, 2. Dezember 2026, 16:00 Uhr",
        ),
        (
            "en",
            _at(1, 10),
            _at(2, 16),
            "Tuesday, 1 December 2026, 10:00 to Wednesday, 2 December 2026, 16:00",
        ),
    ],
)
def test_a_period_reads_as_people_write_it_in_each_language(language, starts_at, ends_at, expected):
    with translation.override(language):
        assert dates.period(starts_at, ends_at) == expected


def test_a_period_is_told_in_berlin_time_whatever_zone_it_was_stored_in():
    with translation.override("de"):
        assert (
            dates.period(_at(1, 10).astimezone(datetime.UTC), _at(1, 12).astimezone(datetime.UTC)) == GERMAN
        )


def test_meeting_page_and_list_in_german_by_default_and_in_english_by_cookie(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, starts_at=_at(1, 10), ends_at=_at(1, 12))
    client.force_login(partner)

    german = client.get(meeting.get_absolute_url()).content.decode()
    _in_english(client)
    english = client.get(meeting.get_absolute_url()).content.decode()
    english_list = client.get("/meetings/").content.decode()

    assert GERMAN in german
    assert ENGLISH in english
    assert ENGLISH in english_list
    assert "Uhr" not in english
    assert "Dezember" not in english_list


def test_the_account_language_sets_the_dates_in_a_new_browser(client, fachgruppe):
    MeetingFactory(space=fachgruppe, audience=None, starts_at=_at(1, 10), ends_at=_at(1, 12))
    english_member = UserFactory(language="en")
    client.force_login(english_member)

    assert ENGLISH in client.get("/meetings/").content.decode()


def test_published_agenda_date_follows_the_language(client, fachgruppe, partner):
    meeting = MeetingFactory(space=fachgruppe, agenda_published_at=_at(25, 9, month=11))
    client.force_login(partner)

    assert (
        "Veröffentlicht am 25. November 2026, 09:00 Uhr"
        in client.get(meeting.get_absolute_url()).content.decode()
    )
    assert (
        "Published on 25 November 2026, 09:00"
        in _in_english(client).get(meeting.get_absolute_url()).content.decode()
    )


def test_poll_page_dates_follow_the_language(client, fachgruppe, coordinator, partner):
    meeting = TentativeMeetingFactory(space=fachgruppe)
    polls.poll_open(meeting=meeting, by=coordinator, options=[(_at(1, 10), _at(1, 12))])
    polls.poll_answer(poll=meeting.poll, user=partner, answers={meeting.poll.options.get().pk: "yes"})
    client.force_login(partner)
    url = f"/meetings/{meeting.pk}/poll/"

    german = client.get(url).content.decode()
    english = _in_english(client).get(url).content.decode()

    assert GERMAN in german
    assert "Di, 1. 12. 10:00" in german
    assert ENGLISH in english
    assert "Tue, 1 Dec 10:00" in english


def test_month_view_numbers_days_in_each_language(client, fachgruppe, partner):
    MeetingFactory(space=fachgruppe, starts_at=_at(1, 10), ends_at=_at(1, 12))
    client.force_login(partner)

    german = client.get("/meetings/calendar/?month=2026-12").content.decode()
    english = _in_english(client).get("/meetings/calendar/?month=2026-12").content.decode()

    assert '<time datetime="2026-12-01">1.</time>' in german
    assert '<time datetime="2026-12-01">1</time>' in english
    assert '<h1 class="mb-0">Kalender Dezember 2026</h1>' in german
    assert "December 2026</h1>" in english


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_minutes_pdf_dates_follow_the_language(client, fachgruppe, partner):
    meeting = MeetingFactory(
        space=fachgruppe, status=Meeting.Status.HELD, starts_at=_at(1, 10), ends_at=_at(1, 12)
    )
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED, published_at=_at(2, 9))
    MeetingFactory(space=fachgruppe, title="Folgetermin", starts_at=_at(15, 14), ends_at=_at(15, 16))
    client.force_login(partner)
    url = f"/meetings/{meeting.pk}/minutes.pdf"

    german = " ".join(_pdf_text(client.get(url)).split())
    english = " ".join(_pdf_text(_in_english(client).get(url)).split())

    assert "Dienstag, 1. Dezember 2026" in german
    assert "10:00 – 12:00 Uhr" in german
    assert "Folgetermin: Dienstag, 15. Dezember 2026, 14:00–16:00 Uhr" in german
    assert "Tuesday, 1 December 2026" in english
    assert "10:00 – 12:00" in english
    assert "Folgetermin: Tuesday, 15 December 2026, 14:00–16:00" in english
    assert "Uhr" not in english


def test_reminder_mails_write_the_due_date_in_the_recipients_language(fachgruppe, coordinator, partner):
    english = UserFactory(language="en")
    fachgruppe.memberships.create(user=english)
    meeting = MeetingFactory(space=fachgruppe, starts_at=_at(20, 10, month=11), ends_at=_at(20, 12, month=11))
    minutes.minutes_edit(meeting=meeting, by=coordinator, introduction="")
    due = datetime.date(2026, 12, 1)
    for person in (partner, english):
        minutes.action_item_add(
            meeting=meeting, by=coordinator, title=f"Aufgabe {person.pk}", assignees=[person], due_date=due
        )
    minutes.minutes_publish(meeting=meeting, by=coordinator)
    deliver_all()
    mail.outbox.clear()

    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 11, 29, 7))):
        assert minutes.action_items_remind() == 2
    deliver_all()

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[partner.email].endswith(f"Aufgabe fällig am 01.12.2026: Aufgabe {partner.pk}")
    assert subjects[english.email].endswith(f"Task due on 01/12/2026: Aufgabe {english.pk}")
