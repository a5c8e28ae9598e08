"""Every decision the audit log covers writes one entry: who, what, whom, where, before and after."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.dispatch import Signal
from django.utils import timezone

from groups import information, questions, services
from groups.models import JoinRequest, Membership
from meetings import minutes
from meetings import services as meeting_services
from meetings.models import Decision
from portal.audit import receivers
from portal.audit.actions import Action
from portal.audit.models import AuditEntry
from projects import services as project_services
from projects.models import Decision as ProjectDecision
from projects.models import Project
from tests.factories import UserFactory
from tests.factories.groups import QuestionFactory, ThreadFactory
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, MeetingFactory
from tests.factories.projects import ProjectFactory, reviewed, submitted

pytestmark = pytest.mark.django_db


def only_entry(action: Action) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, f"{action}: {len(entries)} entries"
    return entries[0]


def test_approving_and_declining_join_requests_are_recorded_with_the_reason(coordinator, fachgruppe):
    anna, bernd = UserFactory(name="Anna Antrag"), UserFactory(name="Bernd Bitte")
    approved = JoinRequest.objects.create(space=fachgruppe, user=anna)
    declined = JoinRequest.objects.create(space=fachgruppe, user=bernd)

    services.join_request_approve(join_request=approved, by=coordinator, reason="Willkommen")
    services.join_request_decline(join_request=declined, by=coordinator, reason="Kein OM-Partner")

    entry = only_entry(Action.JOIN_APPROVED)
    assert (entry.actor, entry.person, entry.space) == (coordinator, anna, fachgruppe)
    assert entry.person_label == f"Anna Antrag ({anna.email})"
    assert entry.summary == "Willkommen"
    refused = only_entry(Action.JOIN_DECLINED)
    assert (refused.person, refused.summary) == (bernd, "Kein OM-Partner")


def test_an_invitation_and_its_acceptance_are_recorded_with_the_role(coordinator, inner):
    invitation = services.invitation_create(
        space=inner, email="Neu@Example.org", by=coordinator, role=Membership.Role.COORDINATOR
    )
    sent = only_entry(Action.INVITATION_CREATED)
    assert (sent.person_label, sent.space, sent.after) == ("neu@example.org", inner, {"role": "coordinator"})

    newcomer = UserFactory(email="neu@example.org")
    services.invitation_accept(invitation=invitation, user=newcomer)
    accepted = only_entry(Action.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.person, accepted.after) == (newcomer, newcomer, {"role": "coordinator"})


def test_a_role_change_keeps_the_role_before_and_after(coordinator, fachgruppe, partner):
    membership = Membership.objects.get(space=fachgruppe, user=partner)
    services.membership_set_role(membership=membership, role=Membership.Role.COORDINATOR, by=coordinator)

    entry = only_entry(Action.ROLE_CHANGED)
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "coordinator"})
    assert (entry.actor, entry.person, entry.space) == (coordinator, partner, fachgruppe)


def test_a_removal_is_recorded_once_per_space_it_ends(coordinator, fachgruppe, inner, inner_member):
    membership = Membership.objects.get(space=fachgruppe, user=inner_member)
    services.membership_remove(membership=membership, by=coordinator)

    entries = AuditEntry.objects.filter(action=Action.MEMBER_REMOVED, person=inner_member)
    assert {entry.space for entry in entries} == {fachgruppe, inner}
    assert entries.get(space=inner).after == {"via": fachgruppe.name}


def test_leaving_is_recorded(partner, fachgruppe):
    services.membership_leave(space=fachgruppe, user=partner)
    entry = only_entry(Action.MEMBER_LEFT)
    assert (entry.actor, entry.person, entry.space) == (partner, partner, fachgruppe)


def test_a_widening_records_the_audience_before_and_after(coordinator, fachgruppe, inner):
    thread = ThreadFactory(space=inner, title="Innere Runde")
    services.audience_widen(item=thread, by=coordinator)

    entry = only_entry(Action.WIDENED)
    assert (entry.target_label, entry.space) == ("Innere Runde", inner)
    assert (entry.before, entry.after) == ({"audience": inner.name}, {"audience": fachgruppe.name})
    assert (entry.target_type.model, entry.target_id) == ("thread", str(thread.pk))


def test_moving_a_thread_outward_is_recorded_as_a_widening(coordinator, fachgruppe, inner):
    thread = ThreadFactory(space=inner, title="Wandert nach außen")
    services.thread_move(thread=thread, to_space=fachgruppe, by=coordinator)

    entry = only_entry(Action.WIDENED)
    assert (entry.space, entry.before, entry.after) == (
        inner,
        {"audience": inner.name},
        {"audience": fachgruppe.name},
    )


def test_a_refused_decision_writes_no_entry(fachgruppe_coordinator, inner):
    """The entry is written in the change's own transaction: what is refused leaves no trace."""
    thread = ThreadFactory(space=inner)
    with pytest.raises(PermissionDenied):
        services.audience_widen(item=thread, by=fachgruppe_coordinator)
    assert not AuditEntry.objects.exists()


def test_publishing_an_agenda_and_the_minutes_and_approving_them_is_recorded(coordinator, fachgruppe):
    upcoming = MeetingFactory(space=fachgruppe, title="Nächstes Treffen")
    AgendaItemFactory(meeting=upcoming, title="Begrüßung")
    meeting_services.agenda_publish(meeting=upcoming, by=coordinator)
    agenda = only_entry(Action.AGENDA_PUBLISHED)
    assert agenda.target_label == "Nächstes Treffen"
    assert agenda.after == {"agenda": ["1. Begrüßung"]}

    held = HeldMeetingFactory(space=fachgruppe, title="Fachgruppentreffen")
    minutes.minutes_edit(meeting=held, by=coordinator, introduction="Begrüßung")
    minutes.minutes_publish(meeting=held, by=coordinator)
    assert only_entry(Action.MINUTES_PUBLISHED).target_label == "Fachgruppentreffen"

    minutes.minutes_approve(meeting=held, by=coordinator, approved_on=timezone.localdate())
    assert only_entry(Action.MINUTES_APPROVED).after == {"approved_on": timezone.localdate().isoformat()}


def test_publishing_information_is_one_entry_not_also_a_widening(coordinator, fachgruppe):
    page = information.information_draft_create(
        space=fachgruppe,
        by=coordinator,
        title="Quereinstieg",
        summary="Kurz",
        body="Text",
        trades=[],
        topics=[],
    )
    information.information_publish(page=page, by=coordinator)

    entry = only_entry(Action.INFORMATION_PUBLISHED)
    assert (entry.target_label, entry.before) == ("Quereinstieg", {"audience": fachgruppe.name})
    assert not AuditEntry.objects.filter(action=Action.WIDENED).exists()


def test_a_project_decision_is_recorded_with_the_outcome_and_the_submitter(
    coordinator, fachgruppe_coordinator, fachgruppe, partner
):
    project = submitted(ProjectFactory(submitted_by=partner, title="Praxistage"))
    reviewed(project, by=coordinator)
    reviewed(project, by=fachgruppe_coordinator)

    project_services.decide(
        project=project, by=coordinator, outcome=ProjectDecision.Outcome.ACCEPTED, reason="Vorbildlich."
    )

    entry = only_entry(Action.PROJECT_DECIDED)
    assert (entry.person, entry.summary, entry.space) == (partner, "Vorbildlich.", fachgruppe)
    assert entry.before == {"status": "in_review"}
    assert entry.after["status"] == "accepted"
    assert not AuditEntry.objects.filter(action=Action.WIDENED).exists()


def test_question_triage_is_recorded(coordinator, fachgruppe, partner, outsider):
    accepted = QuestionFactory(space=fachgruppe, asked_by=outsider, status="submitted")
    declined = QuestionFactory(space=fachgruppe, asked_by=outsider, status="submitted")
    merged = QuestionFactory(space=fachgruppe, asked_by=outsider, status="submitted")

    questions.question_accept(question=accepted, by=coordinator, assignee=partner)
    questions.question_decline(question=declined, by=coordinator, reason="Nicht unser Thema")
    questions.question_merge(question=merged, into=accepted, by=coordinator)

    assert only_entry(Action.QUESTION_ACCEPTED).after == {"assignee": partner.name}
    assert only_entry(Action.QUESTION_DECLINED).summary == "Nicht unser Thema"
    assert only_entry(Action.QUESTION_MERGED).person == outsider


def test_deletions_keep_what_was_deleted(coordinator, fachgruppe, partner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(space=fachgruppe, title="Treffen")
    item = AgendaItemFactory(meeting=meeting, title="Verschoben")
    meeting_services.agenda_item_delete(item=item, by=coordinator)
    assert only_entry(Action.AGENDA_ITEM_DELETED).target_label == "1. Verschoben"

    held = HeldMeetingFactory(space=fachgruppe, title="Gehalten")
    decision = minutes.decision_add(
        agenda_item=AgendaItemFactory(meeting=held), by=coordinator, text="Wir machen es."
    )
    minutes.decision_delete(decision=decision, by=coordinator)
    entry = only_entry(Action.DECISION_DELETED)
    assert entry.before == {"text": "Wir machen es.", "meeting": "Gehalten"}
    assert not Decision.objects.exists()

    draft = project_services.create_draft(by=partner, fields={"title": "Nie eingereicht"})
    project_services.delete_draft(project=draft, by=partner)
    deleted = only_entry(Action.PROJECT_DRAFT_DELETED)
    assert (deleted.target_label, deleted.actor) == ("Nie eingereicht", partner)
    assert not Project.objects.exists()


def test_exporting_the_project_list_is_recorded_with_the_address(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/projects/export/csv/", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200

    entry = only_entry(Action.DATA_EXPORTED)
    assert (entry.actor, entry.ip) == (coordinator, "198.51.100.7")


def test_the_address_behind_a_trusted_proxy_is_the_clients(client, coordinator, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.force_login(coordinator)
    client.get("/projects/export/csv/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert only_entry(Action.DATA_EXPORTED).ip == "203.0.113.9"


def test_a_service_called_outside_a_request_records_no_address(coordinator, fachgruppe, partner):
    membership = Membership.objects.get(space=fachgruppe, user=partner)
    services.membership_set_role(membership=membership, role=Membership.Role.COORDINATOR, by=coordinator)
    assert only_entry(Action.ROLE_CHANGED).ip is None


def test_the_data_rights_signals_are_recorded_even_once_the_account_is_gone(coordinator):
    data_export_requested, account_erased = Signal(), Signal()
    data_export_requested.connect(receivers.data_export_requested)
    account_erased.connect(receivers.account_erased)
    person = UserFactory(name="Erika Muster")

    data_export_requested.send(sender=None, person=person, actor=person, request=None)
    requested = only_entry(Action.DATA_EXPORT_REQUESTED)
    assert (requested.actor, requested.person) == (person, person)

    person_id, email = person.pk, person.email
    person.delete()
    account_erased.send(
        sender=None,
        person_id=person_id,
        name="Erika Muster",
        email=email,
        actor=person,
        request=None,
        on_request=False,
    )
    erased = only_entry(Action.ACCOUNT_ERASED)
    assert (erased.actor, erased.actor_label) == (None, f"Ehemaliges Mitglied #{person_id}")
    assert erased.after == {"person_id": person_id, "on_request": False}

    # The entry about the deleted account still says what happened, no longer whose name it was.
    requested.refresh_from_db()
    assert (requested.person, requested.person_label) == (None, f"Ehemaliges Mitglied #{person_id}")
    assert requested.action == Action.DATA_EXPORT_REQUESTED

    other = UserFactory()
    account_erased.send(
        sender=None,
        person_id=other.pk,
        name="Ohne",
        email=other.email,
        actor=coordinator,
        request=None,
        on_request=True,
    )
    assert AuditEntry.objects.filter(action=Action.ACCOUNT_ERASED, actor=coordinator).get().after == {
        "person_id": other.pk,
        "on_request": True,
    }


def test_an_unknown_kind_is_refused(coordinator):
    from portal.audit import services as audit

    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record("made_up", actor=coordinator)
    assert not AuditEntry.objects.exists()


def test_a_document_upload_is_not_audited(coordinator, fachgruppe, settings, tmp_path):
    """Everyday work (posts, documents) stays out of the log: it records decisions only."""
    settings.MEDIA_ROOT = tmp_path
    services.document_create(
        space=fachgruppe, by=coordinator, title="Konzept", upload=SimpleUploadedFile("k.pdf", b"%PDF-1.4\n")
    )
    assert not AuditEntry.objects.exists()


def test_entries_are_ordered_newest_first(coordinator, fachgruppe, partner):
    membership = Membership.objects.get(space=fachgruppe, user=partner)
    services.membership_set_role(membership=membership, role=Membership.Role.COORDINATOR, by=coordinator)
    services.membership_set_role(membership=membership, role=Membership.Role.MEMBER, by=coordinator)
    afters = [entry.after for entry in AuditEntry.objects.all()]
    assert afters == [{"role": "member"}, {"role": "coordinator"}]
    assert AuditEntry.objects.first().at <= timezone.now() + datetime.timedelta(seconds=1)


def test_the_kinds_live_in_code_so_a_new_kind_needs_no_migration():
    from portal.audit import actions

    _name, _path, _args, keywords = AuditEntry._meta.get_field("action").deconstruct()
    # Migrations store the callable's name, not the list: adding a kind to Action changes no model state.
    assert keywords["choices"] is actions.choices
    assert dict(actions.choices())[Action.WIDENED] == "Für einen weiteren Kreis freigegeben"


def test_the_portals_own_export_and_erasure_are_recorded(fachgruppe, partner, coordinator):
    from privacy import erasure
    from privacy import services as privacy

    privacy.export_request(person=partner)
    requested = only_entry(Action.DATA_EXPORT_REQUESTED)
    assert (requested.actor, requested.person) == (partner, partner)

    name = partner.name
    erasure.account_erase(person=partner, actor=coordinator, on_request=True)
    erased = only_entry(Action.ACCOUNT_ERASED)
    assert erased.actor == coordinator
    assert erased.person_label == f"Ehemaliges Mitglied #{partner.pk}"
    assert name not in f"{erased.person_label} {erased.target_label} {erased.summary}"
    assert erased.after["on_request"] is True
