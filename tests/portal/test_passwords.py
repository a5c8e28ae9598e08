"""Passwords are hashed with Argon2; older PBKDF2 hashes become Argon2 ones at the next sign-in.

The rest of the suite uses a fast hasher (tests/settings.py); these tests put the
production list back.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

from portal import settings as production
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_production_hashes_new_passwords_with_argon2_and_still_reads_pbkdf2():
    assert production.PASSWORD_HASHERS == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.mark.usefixtures("production_hashers")
def test_a_new_password_is_an_argon2_hash():
    user = UserFactory()

    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.usefixtures("production_hashers")
def test_a_pbkdf2_password_becomes_an_argon2_one_at_the_next_sign_in(client):
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(TEST_PASSWORD, "altes-salz-2020", iterations=1000)
    user.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})

    assert response["Location"] == "/mein-ueberblick/"
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password(TEST_PASSWORD)
