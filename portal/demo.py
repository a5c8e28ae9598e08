"""Demo data for `manage.py seed_demo`: fictional people, real organisation names.

Every function here is idempotent: it looks things up by a natural key and
only creates what is missing, so running the seed twice changes nothing.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.db import transaction

from groups.models import Membership, User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    organisation_name: str
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("koordination@example.org", "Dr. Henrike Albers", "Offensive Mittelstand, Koordination"),
    DemoAccount("innen@example.org", "Matthias Brenner", "Handwerkskammer Musterstadt"),
    DemoAccount("partner@example.org", "Selin Yıldız", "Beratungsgesellschaft Werkstatt & Wandel"),
    DemoAccount("gast@example.org", "Jonas Feldmann", "Tischlerinnung Nordland"),
    # A second coordinator, so that projects are reviewed by more than one person.
    DemoAccount("pruefung@example.org", "Kai Lorenz", "Zentralverband des Deutschen Handwerks"),
]


@transaction.atomic
def seed_accounts(*, password: str) -> list[User]:
    """The demo accounts with a verified, primary e-mail address; the password is (re)set."""
    users = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "name": account.name,
                "organisation_name": account.organisation_name,
                "is_staff": account.is_staff,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        users.append(user)
    return users


# The demo coordinators' TOTP secret. Public (README.md), set only by seed_demo: coordinators
# must use two-factor, and `manage.py demo_totp` prints the current code for it.
DEMO_TOTP_SECRET = "FACHGRUPPEHANDWERKDEMOZWEIFAKTOR"  # noqa: S105 - public by design


@transaction.atomic
def seed_totp(*, users: list[User]) -> list[User]:
    """Gives every demo account that coordinates a space a TOTP authenticator with the demo secret."""
    coordinators = list(
        User.objects.filter(
            pk__in=[user.pk for user in users], memberships__role=Membership.Role.COORDINATOR
        ).distinct()
    )
    for user in coordinators:
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            TOTP.activate(user, DEMO_TOTP_SECRET)
        elif decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
            authenticator.data = {**authenticator.data, "secret": encrypt(DEMO_TOTP_SECRET)}
            authenticator.save(update_fields=["data"])
    return coordinators


def demo_totp_code(user: User, *, counter: int) -> str | None:
    """The code of `user`'s TOTP at `counter`, only when it is the demo secret (never a real one)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
        return None
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
