"""Making, finding and revoking personal API tokens (services and the one lookup the API uses)."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from portal.middleware import must_set_up_totp

# "fhp_" tells a leaked token apart in logs and secret scanners; 32 random bytes follow.
SECRET_PREFIX = "fhp_"  # noqa: S105 - a marker, not a secret
SECRET_LENGTH = len(SECRET_PREFIX) + 43
# How many characters of the secret the token list shows.
SHOWN_PREFIX = 8
# A person keeps at most this many active tokens.
MAX_ACTIVE = 10
# last_used_at is written at most this often, so a busy script does not write on every request.
USE_RECORDED_EVERY = datetime.timedelta(minutes=5)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def my_tokens(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new read-only token for `user`; answers the row and the secret, which is never kept."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Bitte geben Sie dem Zugang eine Bezeichnung."))
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if len(active) >= MAX_ACTIVE:
        raise ValidationError(
            _("Sie haben bereits %(count)d aktive Zugänge. Bitte widerrufen Sie zuerst einen.")
            % {"count": MAX_ACTIVE}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[: len(SECRET_PREFIX) + SHOWN_PREFIX], digest=digest_of(secret)
    )
    return token, secret


def token_revoke(*, user, pk: int) -> ApiToken:
    """Revokes one of `user`'s own tokens; someone else's is a 404 like a missing one."""
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_secret(secret: str):
    """The active account a presented secret stands for, or None (unknown, revoked, deactivated,
    or a coordinator or staff member who has no TOTP (any more): the two-factor rule holds here too)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) != SECRET_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, scope=ApiToken.Scope.READ)
        .first()
    )
    if token is None or not token.user.is_active or must_set_up_totp(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
