"""Demo API tokens for `manage.py seed_demo`: one read-only token each for the demo coordinator and
the demo partner, so a tester can call the API at once.

The secret is derived from the demo password (HMAC-SHA256 of the account's e-mail address), so
running the seed twice finds the same token instead of making another, and seed_demo can print it
again every time. It is as secret as the demo password, and seed_demo runs only with DEBUG on (or
--force on a portal that is not live).
"""

import base64
import hashlib
import hmac

from django.db import transaction

from api.models import ApiToken
from api.tokens import SECRET_PREFIX, SHOWN_PREFIX, digest_of

DEMO_TOKEN_ACCOUNTS = ("koordination@example.org", "partner@example.org")
DEMO_TOKEN_NAME = "Demo"  # noqa: S105 - the token's label, not its secret


def demo_secret(*, email: str, password: str) -> str:
    mac = hmac.new(password.encode(), f"api-token:{email}".encode(), hashlib.sha256).digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


@transaction.atomic
def seed_api_tokens(*, users: dict, password: str) -> dict[str, str]:
    """The demo token of each account of DEMO_TOKEN_ACCOUNTS (made, or its secret set to the current
    password's); answers e-mail → secret."""
    made = {}
    for email in DEMO_TOKEN_ACCOUNTS:
        user = users[email]
        secret = demo_secret(email=email, password=password)
        fields = {"prefix": secret[: len(SECRET_PREFIX) + SHOWN_PREFIX], "digest": digest_of(secret)}
        token = ApiToken.objects.filter(user=user, name=DEMO_TOKEN_NAME).order_by("pk").first()
        if token is None:
            ApiToken.objects.create(user=user, name=DEMO_TOKEN_NAME, **fields)
        elif token.digest != fields["digest"] or token.revoked_at is not None:
            token.prefix, token.digest, token.revoked_at = fields["prefix"], fields["digest"], None
            token.save(update_fields=["prefix", "digest", "revoked_at"])
        made[email] = secret
    return made
