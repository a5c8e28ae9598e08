"""On PostgreSQL the database refuses to change or delete an audit entry, whatever the code does;
only the NULLing of a reference to a deleted account, space or type goes through."""

import pytest
from django.db import DatabaseError, connection, transaction

from portal.audit import services as audit
from portal.audit.actions import Action
from portal.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"),
]


@pytest.fixture
def entry(fachgruppe):
    person = UserFactory(name="Paula Person")
    return audit.record(Action.ROLE_CHANGED, actor=person, person=person, space=fachgruppe)


def test_an_entry_cannot_be_changed(entry):
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="geschönt")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor=UserFactory())
    entry.refresh_from_db()
    assert entry.summary == ""


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_account_keeps_the_entry_with_its_labels(entry):
    label = entry.person_label
    entry.person.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.person, entry.person_label, entry.actor_label) == (None, None, label, label)
