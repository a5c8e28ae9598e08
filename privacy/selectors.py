"""Reads of the data-rights pages: the person's exports, the export a download link opens, and the
spaces that keep an account from being erased; the writes are in privacy.services (exports),
privacy.builds (the worker's half) and privacy.erasure."""

from django.core import signing

from groups import access
from groups.models import Space, User
from privacy.models import DataExport

# The download link's signature (privacy.builds signs it into the mail and the page).
LINK_SALT = "privacy.export.download"


def export_for_link(*, token: str, user) -> DataExport | None:
    """The export a download link names, when it is `user`'s, ready and not expired; None otherwise."""
    try:
        key = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=DataExport.VALID_FOR)
    except signing.BadSignature:
        return None
    if not user.is_authenticated:
        return None
    found = DataExport.objects.filter(key=key, user=user, status=DataExport.Status.READY).first()
    return found if found is not None and found.is_downloadable else None


def exports_of(person: User) -> list[DataExport]:
    """The person's exports still on record (at most a week's worth), newest first."""
    return list(DataExport.objects.filter(user=person)[:10])


def erasure_blockers(person: User) -> list[Space]:
    """The spaces of which `person` is the last active coordinator: they must hand over first."""
    coordinated = access.coordinator_memberships(active_only=False).filter(user=person).values("space_id")
    others = (
        access.coordinator_memberships()
        .filter(space_id__in=coordinated)
        .exclude(user=person)
        .values("space_id")
    )
    return list(Space.objects.filter(pk__in=coordinated).exclude(pk__in=others).order_by("name"))
