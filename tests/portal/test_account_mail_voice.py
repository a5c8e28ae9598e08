"""allauth's password mails in the portal's voice: a formal salutation, the portal's words, one layout."""

import re

import pytest

from groups.models import Profile
from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "Hobelbank-Neu-2027"
pytestmark = pytest.mark.django_db

ALLAUTH_WORDING = ("You're receiving", "Hallo", "Vielen Dank", "Sie erhalten diese E-Mail, weil Sie oder")


def _html(mail) -> str:
    return next(content for content, mimetype in mail.alternatives if mimetype == "text/html")


def _albers():
    user = UserFactory(name="Henrike Albers", email="albers@example.org")
    Profile.objects.update_or_create(user=user, defaults={"salutation": "frau", "title": "Dr."})
    return user


def test_the_password_reset_mail_addresses_the_person_formally_and_says_what_to_do(client, account_mails):
    user = _albers()

    client.post("/accounts/password/reset/", {"email": user.email})

    [mail] = account_mails()
    assert mail.body.startswith(
        "Sehr geehrte Frau Dr. Albers,\n\nfür Ihr Konto im Portal der Fachgruppe Handwerk"
    )
    assert "Der Link gilt nur einmal" in mail.body
    assert re.search(r"/accounts/password/reset/key/\S+/", mail.body)
    assert "Ihr bisheriges Passwort bleibt gültig" in mail.body
    assert not any(phrase in mail.body for phrase in ALLAUTH_WORDING)
    html = _html(mail)
    assert "<p>Sehr geehrte Frau Dr. Albers,</p>" in html
    assert (
        'href="http://testserver/accounts/password/reset/key/' in html
        or "/accounts/password/reset/key/" in html
    )
    assert "Fachgruppe Handwerk der Offensive Mittelstand" in html  # the shared layout (email/base.html)
    assert not any(phrase in html for phrase in ALLAUTH_WORDING)


def test_the_notice_of_a_changed_password_names_the_change_and_the_next_step(client, account_mails):
    user = _albers()
    client.force_login(user)

    client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    [mail] = account_mails()
    assert mail.body.startswith(
        "Sehr geehrte Frau Dr. Albers,\n\nan Ihrem Konto wurde soeben Folgendes geändert:"
    )
    assert "Ihr Passwort wurde geändert." in mail.body
    assert "ändern Sie bitte sofort Ihr Passwort" in mail.body
    assert "IP-Adresse: 127.0.0.1" in mail.body
    assert "You are receiving" not in mail.body
    html = _html(mail)
    assert "Ihr Passwort wurde geändert." in html
    assert "Fachgruppe Handwerk der Offensive Mittelstand" in html
