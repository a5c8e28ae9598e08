"""Sign-up, sign-in and password reset take as long for a registered address as for an unknown one.

Otherwise the answer's time tells a stranger which addresses have an account.
The hasher (tests.hashers.SlowHasher) and the mail server (below) each take a
quarter of a second, as a real hash and a real SMTP server do, so a path that
skips a hash or sends a mail inside the request stands out clearly. Medians of
five interleaved samples; the bound is generous for a busy machine.
"""

import statistics
import time
from collections.abc import Callable

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from tests.factories import UserFactory
from tests.hashers import HASH_SECONDS
from tests.portal.test_accounts import sign_up

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clear_cache", "slow_hasher", "slow_mail_server"),
]

SAMPLES = 5
MAIL_SECONDS = 0.25


@pytest.fixture
def slow_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.SlowHasher"]


@pytest.fixture
def slow_mail_server(monkeypatch):
    send = EmailBackend.send_messages

    def slowly(self, messages):
        time.sleep(MAIL_SECONDS)
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slowly)


def medians(known: Callable[[int], object], unknown: Callable[[int], object]) -> tuple[float, float]:
    """Median seconds of each, the samples taken in turns so that other load hits both alike."""
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(SAMPLES):
        for name, request in (("known", known), ("unknown", unknown)):
            started = time.perf_counter()
            request(n)
            times[name].append(time.perf_counter() - started)
    return statistics.median(times["known"]), statistics.median(times["unknown"])


def assert_alike(known: float, unknown: float) -> None:
    # A skipped hash or a mail sent in the request costs 0.25 s: well above this bound.
    bound = max(0.15, 0.5 * max(known, unknown))
    assert abs(known - unknown) < bound, f"known {known:.3f} s, unknown {unknown:.3f} s"


def test_sign_up_with_a_registered_address_takes_as_long_as_with_a_new_one():
    UserFactory(email="vorhanden@example.org")

    known, unknown = medians(
        lambda n: sign_up(Client(), email="vorhanden@example.org"),
        lambda n: sign_up(Client(), email=f"neu{n}@example.org"),
    )

    assert_alike(known, unknown)
    # The new accounts were really made, with one hash each: the path being compared is the slow one.
    assert unknown > HASH_SECONDS


def test_a_wrong_password_takes_as_long_as_an_unknown_address():
    user = UserFactory()

    def log_in(email):
        response = Client().post("/accounts/login/", {"login": email, "password": "falsch-falsch-falsch"})
        assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in response.content.decode()

    known, unknown = medians(lambda n: log_in(user.email), lambda n: log_in(f"niemand{n}@example.org"))

    assert_alike(known, unknown)


def test_password_reset_takes_as_long_for_a_known_address_as_for_an_unknown_one(mailoutbox):
    members = [UserFactory() for _ in range(SAMPLES)]

    def reset(email):
        response = Client().post("/accounts/password/reset/", {"email": email})
        assert response["Location"] == "/accounts/password/reset/done/"

    known, unknown = medians(lambda n: reset(members[n].email), lambda n: reset(f"unbekannt{n}@example.org"))

    assert_alike(known, unknown)
    assert mailoutbox == [], "the reset mails wait for the worker"
