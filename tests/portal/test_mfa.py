"""Two-factor authentication with TOTP: open to everyone, required for staff and coordinators."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.utils import timezone

from groups.models import Membership
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory
from tests.factories.groups import SpaceFactory, ThreadFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def totp_code(secret: str) -> str:
    [counter] = yield_hotp_counters_from_time()
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(client) -> str:
    """Activates TOTP for the signed-in person the way they would, and returns the secret."""
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    assert f'value="{secret}"' in page.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


# allauth records the security notice on commit.
@pytest.mark.django_db(transaction=True)
def test_a_member_can_activate_totp_after_confirming_the_password(outsider_client, outsider, account_mails):
    activate_totp(outsider_client)

    assert Authenticator.objects.filter(user=outsider, type=Authenticator.Type.TOTP).exists()
    assert [mail.subject for mail in account_mails()] == ["[Fachgruppe Handwerk] Authenticator-App aktiviert"]


def test_activating_totp_asks_for_the_password_first(outsider_client):
    response = outsider_client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_the_activation_page_shows_the_qr_code_and_the_secret_in_the_account_area(outsider_client):
    outsider_client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})

    html = outsider_client.get("/accounts/2fa/totp/activate/").content.decode()

    assert 'src="data:image/svg+xml;base64,' in html
    assert re.search(r'aria-current="true">Zwei-Faktor-Authentifizierung<', html)
    assert '<label class="form-label" for="id_code">Authentifizierungscode' in html


def test_after_activation_login_asks_for_the_code(outsider_client, outsider):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        secret = activate_totp(outsider_client)
        # A code is accepted only once: sign in with the next one.
        traveller.shift(timedelta(seconds=30))
        browser = Client()

        response = browser.post("/accounts/login/", {"login": outsider.email, "password": TEST_PASSWORD})

        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert "_auth_user_id" not in browser.session
        browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert browser.session["_auth_user_id"] == str(outsider.pk)


def test_a_wrong_code_at_login_is_refused(outsider_client, outsider):
    activate_totp(outsider_client)
    browser = Client()
    browser.post("/accounts/login/", {"login": outsider.email, "password": TEST_PASSWORD})

    response = browser.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert "Falscher Code." in response.content.decode()
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("path", ["/admin/", "/"])
def test_staff_without_totp_are_sent_to_the_totp_activation(client, path):
    client.force_login(StaffFactory(totp=False))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_without_totp_can_still_reach_the_account_pages_and_sign_out(client):
    client.force_login(StaffFactory(totp=False))

    assert client.get("/accounts/2fa/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_with_totp_reach_the_admin(staff_client):
    response = staff_client.get("/admin/")

    assert response.status_code == 200
    assert "Fachgruppe Handwerk" in response.content.decode()


def test_a_member_without_totp_is_not_sent_to_the_activation(outsider_client):
    assert outsider_client.get("/").status_code == 200


@pytest.fixture
def coordinator_without_totp(fachgruppe, inner):
    user = UserFactory()
    for space in (fachgruppe, inner):
        Membership.objects.create(space=space, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.mark.parametrize("where", ["inner_thread", "export", "home"])
def test_a_coordinator_without_totp_is_sent_to_the_totp_activation(
    client, coordinator_without_totp, inner, where
):
    path = {
        "inner_thread": ThreadFactory(space=inner).get_absolute_url(),
        "export": "/projects/export/csv/",
        "home": "/",
    }[where]
    client.force_login(coordinator_without_totp)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_coordinator_of_any_space_needs_totp(client):
    user = UserFactory()
    Membership.objects.create(space=SpaceFactory(), user=user, role=Membership.Role.COORDINATOR)
    client.force_login(user)

    assert client.get("/spaces/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_coordinator_without_totp_can_set_it_up_and_then_reaches_the_inner_thread(
    client, coordinator_without_totp, inner
):
    thread = ThreadFactory(space=inner, title="Nur für den inneren Kreis")
    client.force_login(coordinator_without_totp)
    assert client.get("/accounts/2fa/").status_code == 200

    activate_totp(client)

    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "Nur für den inneren Kreis" in response.content.decode()
    assert client.get("/projects/export/csv/").status_code == 200


def test_a_coordinator_without_totp_can_still_sign_out(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_partner_without_totp_reaches_the_fachgruppe_thread(client, partner, fachgruppe):
    thread = ThreadFactory(space=fachgruppe, title="Für alle in der Fachgruppe")
    client.force_login(partner)

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    assert "Für alle in der Fachgruppe" in response.content.decode()
