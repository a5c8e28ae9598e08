"""A partner submits a model project; coordinators review, return, accept; the submitter follows it."""

import pytest
from django.core import mail

from groups.models import AudienceChange, Membership, Organisation
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from projects import selectors, services
from projects.models import Decision, Project, Review
from tests.factories import UserFactory, with_totp
from tests.factories.groups import OrganisationFactory
from tests.factories.projects import ProjectFactory, TradeFactory, reviewed, submitted
from tests.once import token
from tests.outbox import deliver_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_coordinator(fachgruppe):
    user = with_totp(UserFactory(name="Bernd Zweitprüfer"))
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    return user


def _basics(**overrides) -> dict:
    organisation = OrganisationFactory(name="Handwerkskammer Beispielstadt", kind=Organisation.Kind.CHAMBER)
    return {
        "title": "Praxistage für Schulabgänger",
        "summary": "Betriebe öffnen ihre Werkstätten an gemeinsamen Praxistagen.",
        "organisation": organisation.pk,
        "funding_programme": "",
        "region": "NW",
        "starts_on": "2025-03-01",
        "ends_on": "2026-12-31",
        **token(),
        **overrides,
    }


def test_a_partner_drafts_in_sections_and_nothing_typed_is_lost_on_an_error(client, partner):
    client.force_login(partner)
    response = client.post("/projects/neu/", _basics(ends_on="2024-01-01", title="Praxistage mit Fehler"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Das Ende liegt vor dem Beginn." in page
    assert 'value="Praxistage mit Fehler"' in page
    assert "Betriebe öffnen ihre Werkstätten" in page
    assert not Project.objects.exists()

    response = client.post("/projects/neu/", {**_basics(), "weiter": "1"})
    project = Project.objects.get()
    assert project.status == Project.Status.DRAFT
    assert project.submitted_by == partner
    assert response.url == f"/projects/{project.slug}/bearbeiten/inhalt/"

    trade = TradeFactory(name="Elektrohandwerk")
    client.post(response.url, {"description": "## Vorgehen\n\nZwei Tage pro Halbjahr.", "trades": [trade.pk]})
    response = client.post(
        f"/projects/{project.slug}/bearbeiten/kontakt/",
        {
            "contact_name": "Petra Beispiel",
            "contact_email": "keine-adresse",
            "links": "ftp://alt.example.org",
        },
    )
    page = response.content.decode()
    assert "Geben Sie eine gültige E-Mail-Adresse ein." in page or "gültige E-Mail" in page
    assert "ist keine vollständige Webadresse" in page
    assert 'value="Petra Beispiel"' in page
    project.refresh_from_db()
    assert project.contact_name == ""  # the invalid section was not saved half-way
    assert project.trades.get() == trade


def test_a_draft_belongs_to_its_submitter_and_the_coordinators(
    client, partner, inner_member, coordinator, outsider
):
    project = ProjectFactory(submitted_by=partner)
    for person, status in ((inner_member, 404), (outsider, 404), (coordinator, 200), (partner, 200)):
        client.force_login(person)
        assert client.get(project.get_absolute_url()).status_code == status, person
    client.logout()
    assert client.get(project.get_absolute_url()).status_code == 302  # the login page, as for a missing page


def test_someone_outside_the_fachgruppe_is_asked_to_join_first(client, outsider):
    client.force_login(outsider)
    response = client.get("/projects/neu/")
    assert response.status_code == 403
    assert "Beitrittsanfrage" in response.content.decode()


def test_submitting_needs_every_required_part_and_tells_the_coordinators(client, partner, coordinator):
    project = ProjectFactory(submitted_by=partner, contact_email="", description="")
    client.force_login(partner)
    response = client.post(f"/projects/{project.slug}/einreichen/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Zum Einreichen fehlt noch" in page
    assert "Beschreibung" in page
    assert "E-Mail der Ansprechperson" in page
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT

    Project.objects.filter(pk=project.pk).update(description="Text", contact_email="p@example.org")
    response = client.post(f"/projects/{project.slug}/einreichen/")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert project.submissions.get().snapshot["title"] == project.title
    event = Event.objects.get(kind=Kind.PROJECT_SUBMITTED)
    deliver_all()
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert project.title in mail.outbox[0].subject
    assert event.subject == project

    # Submitted projects are no longer the submitter's to change.
    assert client.get(f"/projects/{project.slug}/bearbeiten/grunddaten/").status_code == 404
    response = client.post(f"/projects/{project.slug}/einreichen/")
    assert "bereits eingereicht" in response.content.decode()
    assert project.submissions.count() == 1


def test_several_coordinators_score_and_the_review_page_shows_them_side_by_side(
    client, partner, coordinator, second_coordinator
):
    project = submitted(ProjectFactory(submitted_by=partner))
    client.force_login(coordinator)
    response = client.post(
        f"/projects/{project.slug}/bewertung/",
        {
            "transferability": "4",
            "transferability_reason": "Andere Kammern können das Format übernehmen.",
            "added_value": "5",
            "added_value_reason": "Betriebe finden so Auszubildende.",
            "note": "Kenne die Kammer gut.",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.IN_REVIEW
    client.force_login(second_coordinator)
    client.post(
        f"/projects/{project.slug}/bewertung/",
        {
            "transferability": "2",
            "transferability_reason": "Hängt an einer Person.",
            "added_value": "3",
            "added_value_reason": "Nutzen noch nicht belegt.",
        },
    )
    page = client.get(f"/projects/{project.slug}/pruefung/").content.decode()
    for text in (
        coordinator.name,
        second_coordinator.name,
        "Hängt an einer Person.",
        "Kenne die Kammer gut.",
    ):
        assert text in page
    assert "3,0" in page
    assert "4,0" in page

    # Scores outside 1 to 5 are refused with a message.
    response = client.post(
        f"/projects/{project.slug}/bewertung/",
        {
            "transferability": "7",
            "transferability_reason": "x",
            "added_value": "0",
            "added_value_reason": "y",
        },
    )
    assert response.status_code == 400
    assert Review.objects.get(reviewer=second_coordinator).transferability == 2


def test_reviews_are_for_coordinators_only(client, partner, inner_member, coordinator):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    for person in (partner, inner_member):
        client.force_login(person)
        assert client.get(f"/projects/{project.slug}/pruefung/").status_code == 404
        assert client.get("/projects/pruefung/").status_code == 404
        response = client.post(
            f"/projects/{project.slug}/entscheidung/",
            {"outcome": "accepted", "reason": "Selbst entschieden."},
        )
        assert response.status_code == 404
    project.refresh_from_db()
    assert project.status == Project.Status.IN_REVIEW


def test_invalid_transitions_are_refused(partner, coordinator, second_coordinator):
    draft = ProjectFactory(submitted_by=partner)
    with pytest.raises(services.TransitionRefusedError):
        services.decide(project=draft, by=coordinator, outcome="accepted", reason="Gut.")
    with pytest.raises(services.TransitionRefusedError):
        services.save_review(project=draft, by=coordinator, scores={})
    waiting = submitted(ProjectFactory(submitted_by=partner))
    with pytest.raises(services.TransitionRefusedError):
        services.decide(project=waiting, by=coordinator, outcome="accepted", reason="Ohne Bewertung.")
    own = submitted(ProjectFactory(submitted_by=coordinator))
    with pytest.raises(services.PermissionDenied):
        services.save_review(project=own, by=coordinator, scores={})
    reviewed(own, by=second_coordinator)
    with pytest.raises(services.PermissionDenied):
        services.decide(project=own, by=coordinator, outcome="accepted", reason="Mein eigenes.")
    reviewed(waiting, by=coordinator)
    reviewed(waiting, by=second_coordinator)
    with pytest.raises(services.ValidationError):
        services.decide(project=waiting, by=coordinator, outcome="returned", reason="Bitte ergänzen.")
    services.decide(project=waiting, by=coordinator, outcome="declined", reason="Nicht übertragbar.")
    with pytest.raises(services.TransitionRefusedError):
        services.decide(project=waiting, by=coordinator, outcome="accepted", reason="Doch.")
    with pytest.raises(services.TransitionRefusedError):
        services.submit(project=waiting, by=partner)


def test_returned_for_revision_then_resubmitted_keeps_the_history(
    client, partner, coordinator, second_coordinator
):
    project = submitted(ProjectFactory(submitted_by=partner, title="Erste Fassung"))
    reviewed(project, by=coordinator)
    reviewed(project, by=second_coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/projects/{project.slug}/entscheidung/",
        {
            "outcome": "returned",
            "reason": "Gute Idee.",
            "changes_requested": "Bitte Zahlen zu den Betrieben ergänzen.",
        },
    )
    assert response.status_code == 302
    deliver_all()
    assert mail.outbox[-1].to == [partner.email]
    assert "zur Überarbeitung zurückgegeben" in mail.outbox[-1].subject
    assert "Bitte Zahlen zu den Betrieben ergänzen." in mail.outbox[-1].body

    client.force_login(partner)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Bitte Zahlen zu den Betrieben ergänzen." in page
    assert client.get(f"/projects/{project.slug}/bearbeiten/grunddaten/").status_code == 200
    client.post(
        f"/projects/{project.slug}/bearbeiten/grunddaten/",
        {**_basics(title="Zweite Fassung"), "organisation": project.organisation_id},
    )
    assert client.post(f"/projects/{project.slug}/einreichen/").status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert project.round == 2
    assert list(project.submissions.values_list("number", "snapshot__title")) == [
        (1, "Erste Fassung"),
        (2, "Zweite Fassung"),
    ]

    client.force_login(coordinator)
    page = client.get(f"/projects/{project.slug}/pruefung/").content.decode()
    assert "Runde 1" in page
    assert "Runde 2" in page
    assert "Erste Fassung" in page
    assert "Bitte Zahlen zu den Betrieben ergänzen." in page


def test_the_submitter_sees_the_decision_but_reviewers_notes_only_when_shared(
    client, partner, coordinator, second_coordinator
):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    reviewed(project, by=second_coordinator)
    services.decide(project=project, by=coordinator, outcome="declined", reason="Zu regional gedacht.")
    client.force_login(partner)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Zu regional gedacht." in page
    assert "Lässt sich auf andere Kammerbezirke übertragen." not in page
    assert coordinator.name not in page

    shared = submitted(ProjectFactory(submitted_by=partner))
    reviewed(shared, by=coordinator)
    reviewed(shared, by=second_coordinator)
    services.decide(
        project=shared,
        by=coordinator,
        outcome="returned",
        reason="Fast.",
        changes_requested="Mehr.",
        share_reviews=True,
    )
    page = client.get(shared.get_absolute_url()).content.decode()
    assert "Lässt sich auf andere Kammerbezirke übertragen." in page
    assert "Interne Notiz" not in page
    assert "Kontakt zur Kammer kenne ich gut." not in page
    assert coordinator.name not in page


def test_acceptance_publishes_the_project_and_tells_the_fachgruppe(
    client, partner, inner_member, coordinator, second_coordinator
):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    reviewed(project, by=second_coordinator)
    assert client.get(project.get_absolute_url()).status_code == 302
    services.decide(
        project=project, by=coordinator, outcome="accepted", reason="Vorbildlich und übertragbar."
    )
    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED
    assert project.audience is None
    assert project.accepted_at is not None
    change = AudienceChange.objects.get(object_id=project.pk, content_type__model="project")
    assert change.to_audience is None
    assert change.changed_by == coordinator
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert project.title in response.content.decode()

    accepted_event = Event.objects.get(kind=Kind.PROJECT_ACCEPTED)
    decided_event = Event.objects.get(kind=Kind.PROJECT_DECIDED)
    assert decided_event.recipient_ids == [partner.pk]
    from portal.notifications.audience import channels, recipient_ids

    reached = recipient_ids(accepted_event)
    assert {partner.pk, inner_member.pk} <= reached
    assert coordinator.pk not in reached
    # Into the digests, not at once: the Fachgruppe daily, the inner circle weekly.
    chosen = channels(accepted_event, reached)
    assert chosen[partner.pk] == "daily"
    assert chosen[inner_member.pk] == "weekly"


def test_a_never_submitted_draft_can_be_deleted_by_its_submitter_only(client, partner, coordinator):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(coordinator)
    assert client.post(f"/projects/{project.slug}/loeschen/").status_code == 404
    client.force_login(partner)
    assert client.post(f"/projects/{project.slug}/loeschen/").status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def test_my_projects_and_the_review_queue_list_what_waits(client, partner, coordinator):
    mine = ProjectFactory(submitted_by=partner, title="Mein Entwurf")
    waiting = submitted(ProjectFactory(title="Wartet auf Prüfung"))
    client.force_login(partner)
    page = client.get("/projects/meine/").content.decode()
    assert mine.title in page
    assert waiting.title not in page
    client.force_login(coordinator)
    page = client.get("/projects/pruefung/").content.decode()
    assert waiting.title in page
    assert mine.title not in page
    assert Decision.objects.count() == 0


def test_the_demo_has_projects_in_every_state_with_reviews(settings, client, media_root):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", password="demo-Handwerk-2026")
    assert set(Project.objects.values_list("status", flat=True)) == set(Project.Status.values)
    assert Review.objects.values("reviewer").distinct().count() == 2
    # Every demo decision had the reviews the rule asks for (two coordinators of the Fachgruppe).
    for decision in Decision.objects.select_related("project__space"):
        done = Review.objects.filter(project=decision.project, round=decision.round).count()
        assert done >= selectors.required_reviews(decision.project), decision.project.title
    resubmitted = Project.objects.get(round=2)
    assert resubmitted.status == Project.Status.IN_REVIEW
    assert resubmitted.decisions.get().outcome == Decision.Outcome.RETURNED
    showcase = Project.objects.filter(status=Project.Status.ACCEPTED)
    for project in showcase:
        assert client.get(project.get_absolute_url()).status_code == 200
    assert showcase.filter(images__isnull=False).exists()
