"""Demo data for `manage.py seed_demo`: fictional people, real organisation names.

Every function here is idempotent: it looks things up by a natural key and
only creates what is missing, so running the seed twice changes nothing.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from groups.models import User


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
