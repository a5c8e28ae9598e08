"""The audit log page: coordinators read their spaces' entries, staff everything, nobody else anything."""

import csv
import io

import pytest

from portal.audit import services as audit
from portal.audit.actions import Action
from portal.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/aktivitaetsprotokoll/"


def entry(space, *, person=None, action=Action.ROLE_CHANGED, **details):
    return audit.record(action, actor=None, space=space, person=person or UserFactory(), **details)


def _page(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_reads_the_entries_of_the_spaces_they_coordinate(
    client, fachgruppe_coordinator, fachgruppe, inner
):
    entry(fachgruppe, person=UserFactory(name="Fritz Außen"))
    entry(inner, person=UserFactory(name="Ingrid Innen"))
    audit.record(Action.ACCOUNT_ERASED, actor=None, person_label="Gelöscht (#99)")
    client.force_login(fachgruppe_coordinator)

    page = _page(client)
    assert "Fritz Außen" in page
    assert "Ingrid Innen" not in page
    assert "Gelöscht (#99)" not in page
    assert fachgruppe.name in page


def test_another_spaces_entries_answer_404_to_its_outsiders(client, fachgruppe_coordinator, inner):
    entry(inner, person=UserFactory(name="Ingrid Innen"))
    client.force_login(fachgruppe_coordinator)

    assert client.get(f"{URL}?raum={inner.slug}").status_code == 404
    assert client.get(f"{URL}export/?raum={inner.slug}").status_code == 404
    assert client.get(f"{URL}?raum=gibt-es-nicht").status_code == 404


def test_staff_read_every_entry_those_of_no_space_too(client, staff_member, fachgruppe, inner):
    entry(inner, person=UserFactory(name="Ingrid Innen"))
    audit.record(Action.ACCOUNT_ERASED, actor=None, person_label="Gelöscht (#99)")
    client.force_login(staff_member)

    page = _page(client)
    assert "Ingrid Innen" in page
    assert "Gelöscht (#99)" in page


@pytest.mark.parametrize("role", ["partner", "inner_member", "outsider"])
def test_members_without_a_coordination_get_a_404(client, request, role, fachgruppe):
    entry(fachgruppe)
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}export/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_is_searched_by_person_and_kind(client, coordinator, fachgruppe):
    entry(fachgruppe, person=UserFactory(name="Anna Antrag", email="anna@example.org"))
    entry(fachgruppe, person=UserFactory(name="Bernd Bitte"), action=Action.MEMBER_REMOVED)
    client.force_login(coordinator)

    by_address = _page(client, "?person=anna@example")
    assert "Anna Antrag" in by_address
    assert "Bernd Bitte" not in by_address
    by_kind = _page(client, f"?art={Action.MEMBER_REMOVED}")
    assert "Bernd Bitte" in by_kind
    assert "Anna Antrag" not in by_kind


def test_an_unknown_kind_is_a_clear_error_and_the_typed_person_stays(client, coordinator, fachgruppe):
    entry(fachgruppe, person=UserFactory(name="Anna Antrag"))
    client.force_login(coordinator)

    page = _page(client, "?art=erfunden&person=Anna")
    assert "Bitte eine gültige Auswahl treffen. erfunden ist keine gültige Auswahl." in page
    assert 'value="Anna"' in page
    assert "Anna Antrag" in page


def test_the_list_shows_before_and_after(client, coordinator, fachgruppe):
    entry(
        fachgruppe,
        before={"role": "member"},
        after={"role": "coordinator", "items": ["1. Begrüßung", "2. Ende"]},
    )
    client.force_login(coordinator)

    page = _page(client)
    assert "role: member" in page
    # A key named like a dict method ("items") is shown as a key, never looked up as the method.
    assert "role: coordinator; items: 1. Begrüßung, 2. Ende" in page


def test_the_csv_export_holds_the_filtered_entries_only_and_is_itself_recorded(
    client, coordinator, fachgruppe, inner
):
    entry(fachgruppe, person=UserFactory(name="Anna Antrag"), before={"role": "member"})
    entry(inner, person=UserFactory(name="=HYPERLINK(1)"))
    client.force_login(coordinator)

    response = client.get(f"{URL}export/?raum={fachgruppe.slug}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="aktivitaetsprotokoll-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Zeitpunkt", "Art", "Wer"]
    # Newest first: the export itself, then the one entry of the Fachgruppe.
    assert [row[1] for row in rows[1:]] == ["Daten exportiert", "Rolle geändert"]
    assert rows[2][3] == f"Anna Antrag ({AuditEntry.objects.last().person.email})"
    assert rows[2][7] == "role: member"
    assert AuditEntry.objects.filter(
        action=Action.DATA_EXPORTED, actor=coordinator, space=fachgruppe
    ).exists()

    everything = b"".join(client.get(f"{URL}export/").streaming_content).decode("utf-8-sig")
    # A cell that starts like a formula is written as text.
    assert "'=HYPERLINK(1)" in everything


def test_the_list_pages_with_the_portals_paginator(client, coordinator, fachgruppe):
    for _ in range(26):
        entry(fachgruppe)
    client.force_login(coordinator)

    assert "26 Einträge" in _page(client)
    assert _page(client, "?seite=2").count("<tr>") == 2  # the header and one entry
    assert client.get(f"{URL}?seite=3").status_code == 404


def test_the_list_runs_the_same_number_of_queries_with_one_entry_as_with_three(
    client, coordinator, fachgruppe
):
    client.force_login(coordinator)
    queries = assert_constant_queries(client, URL, grow=lambda: entry(fachgruppe))
    # Session, account, the rule book's standing, the TOTP check, the spaces of the filter, one page
    # of entries, the capped count, and the header's two reads of unread notifications.
    assert queries == 9


def test_coordinating_an_inner_space_shows_nothing_of_the_spaces_around_it(
    client, inner_coordinator, fachgruppe, inner
):
    """Being inside the Fachgruppe's ring is not coordinating it: its entries stay hidden."""
    entry(fachgruppe, person=UserFactory(name="Fritz Außen"))
    entry(inner, person=UserFactory(name="Ingrid Innen"))
    client.force_login(inner_coordinator)

    page = _page(client)
    assert "Ingrid Innen" in page
    assert "Fritz Außen" not in page
    assert client.get(f"{URL}?raum={fachgruppe.slug}").status_code == 404
