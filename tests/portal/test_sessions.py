"""People see where they are signed in and can end the other sessions (allauth.usersessions)."""

import datetime

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import TEST_PASSWORD
from tests.querycount import assert_constant_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def signed_in_browser(user, *, user_agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent)
    response = browser.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


def test_a_person_sees_each_browser_they_are_signed_in_with(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    signed_in_browser(outsider, user_agent="Safari auf dem Telefon")

    html = office.get("/accounts/sessions/").content.decode()

    assert "<h1" in html
    assert "Sitzungen</h1>" in html
    assert "Firefox im Büro" in html
    assert "Safari auf dem Telefon" in html
    assert html.count("Aktuell") == 1
    assert html.count('<th scope="col">') == 5
    assert "Andere Sitzungen abmelden" in html


def test_ending_the_other_sessions_signs_out_the_other_browser_only(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    phone = signed_in_browser(outsider, user_agent="Safari auf dem Telefon")

    office.post("/accounts/sessions/")

    assert phone.get("/accounts/email/")["Location"].startswith("/accounts/login/")
    assert office.get("/accounts/email/").status_code == 200
    assert list(UserSession.objects.filter(user=outsider).values_list("user_agent", flat=True)) == [
        "Firefox im Büro"
    ]


def test_the_sessions_page_of_one_person_does_not_show_anyone_else(outsider, staff):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    UserSession.objects.create(user=staff, ip="192.0.2.7", session_key="fremd", user_agent="Fremder Browser")

    html = office.get("/accounts/sessions/").content.decode()

    assert "Fremder Browser" not in html
    assert "192.0.2.7" not in html


def test_the_sessions_page_needs_a_constant_number_of_queries(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    browsers = []

    assert_constant_queries(
        office,
        "/accounts/sessions/",
        grow=lambda: browsers.append(signed_in_browser(outsider, user_agent=f"Browser {len(browsers)}")),
    )


def test_sessions_left_invalid_by_a_password_change_are_not_listed(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    signed_in_browser(outsider, user_agent="Safari auf dem Telefon")

    office.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": "Hobelbank-Neu-2027", "password2": "Hobelbank-Neu-2027"},
    )
    html = office.get("/accounts/sessions/").content.decode()

    assert "Firefox im Büro" in html
    assert "Safari auf dem Telefon" not in html
    assert UserSession.objects.filter(user=outsider).count() == 1


def _writes(browser, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
    ]


WRITES = ("UPDATE", "INSERT", "DELETE")


def test_a_signed_in_page_does_not_write_the_session_on_every_request(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")

    _writes(office, "/meetings/")
    second = _writes(office, "/meetings/")

    assert second == []


def test_the_session_activity_is_recorded_again_after_the_interval(outsider):
    office = signed_in_browser(outsider, user_agent="Firefox im Büro")
    _writes(office, "/meetings/")
    session = UserSession.objects.get(user=outsider)
    UserSession.objects.filter(pk=session.pk).update(
        last_seen_at=timezone.now() - datetime.timedelta(hours=1)
    )

    with time_machine.travel(datetime.timedelta(minutes=6)):
        writes = _writes(office, "/meetings/")

    assert any("usersessions_usersession" in sql for sql in writes)
    session.refresh_from_db()
    assert timezone.now() - session.last_seen_at < datetime.timedelta(minutes=1)
    assert _writes(office, "/meetings/") == []
