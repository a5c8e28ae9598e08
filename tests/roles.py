"""Role fixtures of the permission tests on the two spaces the migration creates.

A pytest plugin, loaded by tests/conftest.py.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from groups.models import JoinRequest, Membership, Space
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
from tests.factories import StaffFactory, UserFactory, with_totp

ROLES = [
    "anonymous",
    "outsider",
    "unverified",
    "requester",
    "partner",
    "inner_member",
    "fachgruppe_coordinator",
    "inner_coordinator",
    "coordinator",
    "deactivated",
    "staff",
]


def well_known_spaces() -> tuple[Space, Space]:
    """The spaces of migration 0003; re-created where a transactional test flushed them."""
    fachgruppe, _ = Space.objects.get_or_create(
        slug=FACHGRUPPE_SLUG,
        defaults={"name": "Fachgruppe Handwerk", "summary": "Die Fachgruppe.", "is_fachgruppe": True},
    )
    inner, _ = Space.objects.get_or_create(
        slug=INNER_SLUG,
        defaults={
            "name": "Fachkräftezentren Handwerk",
            "summary": "Der innere Kreis.",
            "parent": fachgruppe,
            "admission": Space.Admission.INVITATION,
        },
    )
    return fachgruppe, inner


@pytest.fixture
def fachgruppe(db) -> Space:
    return well_known_spaces()[0]


@pytest.fixture
def inner(db) -> Space:
    return well_known_spaces()[1]


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def requester(fachgruppe):
    user = UserFactory()
    JoinRequest.objects.create(space=fachgruppe, user=user, message="Bitte aufnehmen.")
    return user


@pytest.fixture
def partner(fachgruppe):
    user = UserFactory()
    Membership.objects.create(space=fachgruppe, user=user)
    return user


@pytest.fixture
def inner_member(fachgruppe, inner):
    user = UserFactory()
    Membership.objects.create(space=fachgruppe, user=user)
    Membership.objects.create(space=inner, user=user)
    return user


@pytest.fixture
def coordinator(fachgruppe, inner):
    """Coordinator of both spaces, with TOTP set up (without it every page leads to the set-up)."""
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    Membership.objects.create(space=inner, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def fachgruppe_coordinator(fachgruppe):
    """A coordinator of the Fachgruppe only, outside the inner circle (pruefung@ of the demo), with TOTP."""
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def inner_coordinator(fachgruppe, inner):
    """A coordinator of the inner circle only, a plain member of the Fachgruppe, with TOTP."""
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user)
    Membership.objects.create(space=inner, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def unverified(db):
    """Signed up, e-mail address not yet verified, member of nothing."""
    return UserFactory(verified_email=False)


@pytest.fixture
def deactivated(fachgruppe, inner):
    """A former coordinator of both spaces whose account staff deactivated: the memberships, the
    role and TOTP are still recorded, and none of them may count any more."""
    user = with_totp(UserFactory())
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    Membership.objects.create(space=inner, user=user, role=Membership.Role.COORDINATOR)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def staff_member(db):
    return StaffFactory()


@pytest.fixture
def person(request):
    """The person of a role named by parametrisation: `@pytest.mark.parametrize("role", ROLES)`."""
    name = "staff_member" if request.param == "staff" else request.param
    return request.getfixturevalue(name)
