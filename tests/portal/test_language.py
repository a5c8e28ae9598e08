"""The interface and the account mails speak German unless a person chooses English."""

import pytest
from django.conf import settings
from django.test import Client

from groups.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def switch_language(client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_switching_to_english_changes_the_interface_for_that_visitor(client):
    response = switch_language(client, "en", "/accounts/login/")

    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/")
    html = page.content.decode()
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Sign In" in html
    assert '<html lang="de">' in Client().get("/accounts/login/").content.decode()


def test_switching_the_language_is_stored_on_the_signed_in_account(outsider_client, outsider):
    switch_language(outsider_client, "en")

    outsider.refresh_from_db()
    assert outsider.language == "en"


def test_a_language_the_portal_does_not_offer_is_refused(outsider_client, outsider):
    response = switch_language(outsider_client, "fr")

    outsider.refresh_from_db()
    assert response.status_code == 400
    assert outsider.language == "de"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_account_language_follows_the_person_to_a_new_browser(client):
    client.force_login(UserFactory(language="en"))

    response = client.get("/accounts/email/")

    assert response["Content-Language"] == "en"
    assert "Email Addresses" in response.content.decode()


def test_account_mails_go_out_in_the_language_of_the_account(client, account_mails):
    english = UserFactory(language="en")
    german = UserFactory(language="de")

    client.post("/accounts/password/reset/", {"email": english.email})
    switch_language(client, "en")
    client.post("/accounts/password/reset/", {"email": german.email})

    subjects = {mail.to[0]: mail.subject for mail in account_mails()}
    assert subjects == {
        english.email: "[Fachgruppe Handwerk] Password Reset Email",
        german.email: "[Fachgruppe Handwerk] E-Mail zum Zurücksetzen des Passworts",
    }


def test_the_already_registered_mail_goes_out_in_the_owners_language(client, account_mails):
    owner = UserFactory(language="de")
    switch_language(client, "en")

    client.post(
        "/accounts/signup/",
        {
            "name": "Mallory",
            "organisation_name": "Irgendwo",
            "email": owner.email,
            "password1": "Werkbank-Probe-2026",
            "password2": "Werkbank-Probe-2026",
        },
    )

    [mail] = account_mails()
    assert mail.subject == "[Fachgruppe Handwerk] Konto existiert bereits"


def test_signing_up_in_english_stores_english_on_the_new_account(client):
    switch_language(client, "en")

    client.post(
        "/accounts/signup/",
        {
            "name": "Erika Meister",
            "organisation_name": "Handwerkskammer Musterstadt",
            "email": "meister@example.org",
            "password1": "Werkbank-Probe-2026",
            "password2": "Werkbank-Probe-2026",
        },
    )

    assert User.objects.get(email="meister@example.org").language == "en"
