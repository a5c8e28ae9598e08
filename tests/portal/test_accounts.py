"""Sign-up, e-mail verification, login, rate limits, password reset and change."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone

from groups.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

NEW_PASSWORD = "Hobelbank-Neu-2027"


def sign_up(client, *, email="meister@example.org", **fields):
    data = {
        "name": "Erika Meister",
        "organisation_name": "Handwerkskammer Musterstadt",
        "email": email,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


def verification_code(mail) -> str:
    # allauth's code stands alone on its line between the mail's paragraphs.
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.body, re.MULTILINE).group(1)


def log_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in_email(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def test_sign_up_stores_name_and_organisation_and_mails_a_german_verification_code(
    client, mailoutbox, account_mails
):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="meister@example.org")
    assert (user.name, user.organisation_name, user.language) == (
        "Erika Meister",
        "Handwerkskammer Musterstadt",
        "de",
    )
    assert not EmailAddress.objects.get(user=user).verified
    assert mailoutbox == [], "the request itself sends nothing; a worker does"
    [mail] = account_mails()
    assert mail.to == ["meister@example.org"]
    assert mail.subject == "[Fachgruppe Handwerk] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert mail.body.startswith("Guten Tag Erika Meister,")
    assert "Hallo von" not in mail.body
    assert "Bitte geben Sie ihn in Ihrem geöffneten Browserfenster ein." in mail.body
    assert verification_code(mail)


def test_sign_up_form_asks_for_name_organisation_email_and_password_in_that_order(client):
    html = client.get("/accounts/signup/").content.decode()

    labels = re.findall(r'<label class="form-label" for="id_(\w+)">([^<*]+)', html)
    assert labels == [
        ("name", "Vor- und Nachname"),
        ("organisation_name", "Organisation"),
        ("email", "E-Mail-Adresse"),
        ("password1", "Passwort"),
        ("password2", "Passwort (Wiederholung)"),
    ]
    assert 'aria-describedby="id_organisation_name_helptext"' in html
    assert html.count(" required") >= 5


def test_the_sign_up_form_links_the_datenschutzerklaerung_before_its_button(client):
    html = client.get("/accounts/signup/").content.decode()

    form = html[html.index('action="/accounts/signup/"') :]
    form = form[: form.index("</form>")]
    link = form.index('<a href="/rechtliches/datenschutz/">Datenschutzerklärung</a>')
    assert link < form.index('type="submit"')


def test_sign_up_with_errors_keeps_everything_typed_except_the_passwords(client):
    response = sign_up(client, password2="Etwas-Anderes-2026")

    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(email="meister@example.org").exists()
    assert 'value="Erika Meister"' in html
    assert 'value="Handwerkskammer Musterstadt"' in html
    assert 'value="meister@example.org"' in html
    assert TEST_PASSWORD not in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password2_error"' in html
    assert 'id="id_password2_error"' in html
    assert 'role="alert"' in html


def test_entering_the_code_verifies_the_address_and_signs_in(client, account_mails):
    sign_up(client)

    response = client.post("/accounts/confirm-email/", {"code": verification_code(account_mails()[0])})

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="meister@example.org").verified
    assert signed_in_email(client) == "meister@example.org"


def test_a_verification_code_older_than_ten_minutes_is_refused(client, account_mails):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_up(client)
        traveller.shift(timedelta(minutes=10, seconds=1))

        response = client.post("/accounts/confirm-email/", {"code": verification_code(account_mails()[0])})

    # allauth drops the expired verification and sends the person back to the login.
    assert response["Location"] == "/accounts/login/"
    assert not EmailAddress.objects.get(email="meister@example.org").verified
    assert signed_in_email(client) is None


def test_a_verification_code_is_accepted_within_ten_minutes(client, account_mails):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_up(client)
        traveller.shift(timedelta(minutes=9, seconds=50))

        client.post("/accounts/confirm-email/", {"code": verification_code(account_mails()[0])})

    assert EmailAddress.objects.get(email="meister@example.org").verified


def test_a_wrong_code_is_refused_with_a_message_at_the_field(client, account_mails):
    sign_up(client)

    response = client.post("/accounts/confirm-email/", {"code": "XXXXXX"})

    html = response.content.decode()
    assert "Falscher Code." in html
    assert 'aria-describedby="id_code_error"' in html
    assert not EmailAddress.objects.get(email="meister@example.org").verified


def test_login_by_email_is_refused_until_the_address_is_verified(client, account_mails):
    user = UserFactory(verified_email=False)

    response = log_in(client, user.email, TEST_PASSWORD)

    assert response["Location"] == "/accounts/confirm-email/"
    assert signed_in_email(client) is None
    client.post("/accounts/confirm-email/", {"code": verification_code(account_mails()[-1])})
    assert signed_in_email(client) == user.email


def test_login_by_email_works_for_a_verified_address(client):
    user = UserFactory()

    response = log_in(client, user.email.upper(), TEST_PASSWORD)

    assert response.status_code == 302
    assert signed_in_email(client) == user.email


def test_wrong_password_shows_the_same_message_as_an_unknown_address(client):
    user = UserFactory()

    wrong_password = log_in(client, user.email, "falsch-falsch-falsch").content.decode()
    unknown_address = log_in(client, "niemand@example.org", "falsch-falsch-falsch").content.decode()

    message = "Die E-Mail-Adresse und/oder das Passwort sind leider falsch."
    assert message in wrong_password
    assert message in unknown_address


@pytest.mark.redis
def test_five_wrong_passwords_in_five_minutes_are_each_answered_as_wrong(client):
    user = UserFactory()

    pages = [log_in(client, user.email, "falsch-falsch-falsch").content.decode() for _ in range(5)]

    assert all("Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in page for page in pages)
    assert not any("Zu viele gescheiterte Anmeldeversuche" in page for page in pages)


@pytest.mark.redis
def test_the_right_password_on_the_fifth_attempt_signs_in(client):
    user = UserFactory()
    for _ in range(4):
        log_in(client, user.email, "falsch-falsch-falsch")

    log_in(client, user.email, TEST_PASSWORD)

    assert signed_in_email(client) == user.email


@pytest.mark.redis
def test_the_sixth_password_from_the_same_client_within_five_minutes_is_refused_even_when_right(client):
    user = UserFactory()
    for _ in range(5):
        log_in(client, user.email, "falsch-falsch-falsch")
    other_browser_same_address = Client()

    response = log_in(other_browser_same_address, user.email, TEST_PASSWORD)

    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    assert signed_in_email(other_browser_same_address) is None


@pytest.mark.redis
def test_a_strangers_wrong_passwords_do_not_keep_the_owner_out():
    user = UserFactory()
    stranger, owner = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.20")
    pages = [log_in(stranger, user.email, "falsch-falsch-falsch").content.decode() for _ in range(6)]

    log_in(owner, user.email, TEST_PASSWORD)

    assert "Zu viele gescheiterte Anmeldeversuche" in pages[-1]
    assert signed_in_email(owner) == user.email


@pytest.mark.redis
def test_one_client_guessing_many_accounts_is_stopped_by_its_address():
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    accounts = [UserFactory() for _ in range(5)]
    pages = [
        log_in(stranger, account.email, "falsch-falsch-falsch").content.decode()
        for account in accounts
        for _ in range(4)
    ]
    victim = UserFactory()

    refused = log_in(stranger, victim.email, TEST_PASSWORD).content.decode()

    assert not any("Zu viele gescheiterte Anmeldeversuche" in page for page in pages)
    assert "Zu viele gescheiterte Anmeldeversuche" in refused
    assert signed_in_email(stranger) is None


@pytest.mark.redis
def test_behind_a_proxy_the_client_is_told_by_x_forwarded_for(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    stranger = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    owner = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    for _ in range(6):
        log_in(stranger, user.email, "falsch-falsch-falsch")

    log_in(owner, user.email, TEST_PASSWORD)

    assert signed_in_email(owner) == user.email


@pytest.mark.redis
def test_login_attempts_are_counted_again_after_five_minutes(client):
    user = UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(6):
            log_in(client, user.email, "falsch-falsch-falsch")
        traveller.shift(timedelta(minutes=5, seconds=1))

        log_in(client, user.email, TEST_PASSWORD)

    assert signed_in_email(client) == user.email


def test_signing_up_with_a_registered_address_looks_the_same_and_mails_the_owner(client, account_mails):
    owner = UserFactory(email="vorhanden@example.org", name="Otto Vorhanden")
    other_browser = Client()

    new = sign_up(client, email="neu@example.org")
    existing = sign_up(other_browser, email="vorhanden@example.org", name="Mallory")

    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    new_page = client.get(new["Location"]).content.decode()
    existing_page = other_browser.get(existing["Location"]).content.decode()
    assert _main(existing_page).replace("vorhanden@", "neu@") == _main(new_page)
    assert User.objects.filter(email="vorhanden@example.org").get().name == "Otto Vorhanden"
    owner_mail = next(mail for mail in account_mails() if mail.to == [owner.email])
    assert owner_mail.subject == "[Fachgruppe Handwerk] Konto existiert bereits"
    assert "/accounts/password/reset/" in owner_mail.body


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, account_mails):
    UserFactory(email="bekannt@example.org")

    unknown = client.post("/accounts/password/reset/", {"email": "unbekannt@example.org"})
    assert account_mails() == []
    known = client.post("/accounts/password/reset/", {"email": "bekannt@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [mail.to for mail in account_mails()] == [["bekannt@example.org"]]


def test_password_reset_link_sets_a_new_password(client, account_mails):
    user = UserFactory()
    client.post("/accounts/password/reset/", {"email": user.email})
    [mail] = account_mails()
    assert mail.subject == "[Fachgruppe Handwerk] E-Mail zum Zurücksetzen des Passworts"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response["Location"] == "/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_changing_the_password_sends_a_security_notification(client, account_mails):
    user = UserFactory()
    client.force_login(user)

    client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    [mail] = account_mails()
    assert mail.to == [user.email]
    assert mail.subject == "[Fachgruppe Handwerk] Passwort geändert"


def test_account_pages_use_the_portal_layout_with_the_account_navigation(outsider_client):
    html = outsider_client.get("/accounts/email/").content.decode()

    title = " ".join(html.split("<title>", 1)[1].split("</title>", 1)[0].split())
    assert title == "E-Mail-Adressen · Fachgruppe Handwerk"
    assert "Zum Inhalt springen" in html
    assert re.search(r'href="/accounts/email/" aria-current="page">E-Mail<', html)
    for section in ("Passwort", "Zwei-Faktor-Authentifizierung", "Sitzungen"):
        assert f">{section}</a>" in html


def _main(html: str) -> str:
    """The page's main content, without the CSRF token that differs per visitor."""
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
