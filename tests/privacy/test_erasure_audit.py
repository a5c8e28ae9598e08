"""The audit log and the data rights: coordinators of the person's spaces read the export and the
erasure; once erased, the person's name and address are gone from the log, its CSV, the admin and
the table itself, while who (the account's id), what and when stay."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.test import Client

from groups import services as groups
from groups.models import JoinRequest, Membership
from portal.audit import selectors
from portal.audit import services as audit
from portal.audit.actions import Action
from portal.audit.models import AuditEntry
from privacy import erasure
from privacy import services as privacy
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db

URL = "/aktivitaetsprotokoll/"


def _reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _log(user) -> str:
    response = _reader(user).get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinators_of_the_persons_spaces_read_its_export_and_erasure(
    partner, fachgruppe, fachgruppe_coordinator, inner_coordinator, staff_member
):
    other_partner = UserFactory()
    Membership.objects.create(space=fachgruppe, user=other_partner)
    privacy.export_request(person=partner)
    erasure.account_erase(person=partner, actor=partner)
    former = f"Ehemaliges Mitglied #{partner.pk}"

    assert former in _log(fachgruppe_coordinator)
    assert {entry.action for entry in selectors.audit_entries(user=fachgruppe_coordinator)} == {
        Action.ACCOUNT_ERASED,
        Action.DATA_EXPORT_REQUESTED,
    }
    # The coordinator of another space, and a partner of the same one, read nothing of it.
    assert former not in _log(inner_coordinator)
    assert not selectors.audit_entries(user=inner_coordinator).exists()
    assert not selectors.audit_entries(user=other_partner).exists()
    assert _reader(other_partner).get(URL).status_code == 404
    assert selectors.audit_entries(user=staff_member).filter(action=Action.ACCOUNT_ERASED).count() == 1


def test_a_member_of_two_spaces_is_recorded_for_each(inner_member, fachgruppe, inner, inner_coordinator):
    erasure.account_erase(person=inner_member, actor=inner_member)

    erased = AuditEntry.objects.filter(action=Action.ACCOUNT_ERASED)
    assert sorted(erased.values_list("space__name", flat=True)) == sorted([fachgruppe.name, inner.name])
    assert [entry.space for entry in selectors.audit_entries(user=inner_coordinator)] == [inner]


def test_a_person_of_no_space_is_recorded_for_staff(outsider, staff_member, fachgruppe_coordinator):
    erasure.account_erase(person=outsider, actor=outsider)

    assert AuditEntry.objects.get(action=Action.ACCOUNT_ERASED).space is None
    assert selectors.audit_entries(user=staff_member).filter(action=Action.ACCOUNT_ERASED).exists()
    assert not selectors.audit_entries(user=fachgruppe_coordinator).exists()


@pytest.fixture
def erased_coordinator(fachgruppe, coordinator, requester):
    """A coordinator of the Fachgruppe who approved a join request and was changed in the admin,
    then erased (on request, by the other coordinator)."""
    person = with_totp(UserFactory(name="Bernd Beispielmann", email="bernd.beispielmann@example.org"))
    Membership.objects.create(space=fachgruppe, user=person, role=Membership.Role.COORDINATOR)
    join_request = JoinRequest.objects.get(user=requester)
    groups.join_request_approve(join_request=join_request, by=person, reason="Willkommen, Bernd Beispielmann")
    audit.record(
        Action.ADMIN_CHANGED,
        actor=None,
        target=person,
        before={"name": "Bernd Beispielmann", "organisation": ["Beispielmann GmbH"]},
        after={"name": "Bernd Beispielmann", "organisation": ["Bäckerei Beispielmann"]},
    )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
    )
    approved = AuditEntry.objects.get(action=Action.JOIN_APPROVED)
    erasure.account_erase(person=person, actor=coordinator, on_request=True)
    return person, approved


def test_an_erased_persons_name_is_gone_from_the_log_and_the_table(
    erased_coordinator, coordinator, requester, staff_member
):
    person, approved = erased_coordinator
    name, email = "Bernd Beispielmann", "bernd.beispielmann@example.org"
    former = f"Ehemaliges Mitglied #{person.pk}"

    page = _log(coordinator)
    csv = b"".join(_reader(coordinator).get(f"{URL}export/").streaming_content).decode("utf-8-sig")
    admin = _reader(staff_member)
    admin_pages = [
        admin.get("/admin/audit/auditentry/"),
        admin.get(f"/admin/audit/auditentry/{approved.pk}/change/"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditentry")
        raw = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM django_admin_log")
        raw_admin_history = repr(cursor.fetchall())

    for shown in [page, csv, raw, *(response.content.decode() for response in admin_pages)]:
        assert name.lower() not in shown.lower()
        assert email not in shown
        assert former in shown
    assert name.lower() not in raw_admin_history.lower()
    assert all(response.status_code == 200 for response in admin_pages)
    # The fact stays: who (the account's id), what, when, and whom it concerned.
    kept = AuditEntry.objects.get(pk=approved.pk)
    assert (kept.action, kept.actor_id, kept.at, kept.space_id) == (
        approved.action,
        person.pk,
        approved.at,
        approved.space_id,
    )
    assert (kept.actor_label, kept.summary) == (former, f"Willkommen, {former}")
    assert kept.person_label == approved.person_label
    assert requester.name in kept.person_label
    edited = AuditEntry.objects.get(action=Action.ADMIN_CHANGED)
    assert edited.before == {"name": former, "organisation": ["Beispielmann GmbH"]}


def _open_the_door() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [audit.PSEUDONYMISING])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_erasure_is_the_only_change_the_trigger_lets_through(erased_coordinator):
    _person, approved = erased_coordinator
    # After the erasure the door is shut again, in the same transaction as in a new one.
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry.objects.filter(pk=approved.pk).update(summary="geschönt")
    # And while it is open, only the texts that may name a person change.
    with transaction.atomic():
        _open_the_door()
        with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
            AuditEntry.objects.filter(pk=approved.pk).update(action=Action.JOIN_DECLINED)
        with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
            AuditEntry.objects.filter(pk=approved.pk).delete()
    assert AuditEntry.objects.get(pk=approved.pk).action == Action.JOIN_APPROVED
