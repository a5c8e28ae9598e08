"""Review rules that match the review page: several reviews before a decision, the project beside them."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import Membership
from projects import services
from projects.models import Project, ProjectAttachment
from tests.factories import UserFactory, with_totp
from tests.factories.projects import ProjectFactory, reviewed, submitted
from tests.projects.showcase import picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_coordinator(fachgruppe):
    user = with_totp(UserFactory(name="Bernd Zweitprüfer"))
    Membership.objects.create(space=fachgruppe, user=user, role=Membership.Role.COORDINATOR)
    return user


def _decide(client, project, **data):
    return client.post(f"/projects/{project.slug}/entscheidung/", data)


def test_one_review_is_not_enough_and_the_typed_reason_stays(
    client, partner, coordinator, second_coordinator
):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    client.force_login(coordinator)

    response = _decide(client, project, outcome="accepted", reason="Überzeugt durch belegte Ergebnisse.")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Vor der Entscheidung braucht es mindestens 2 Bewertungen (bisher: 1)." in html
    assert "Überzeugt durch belegte Ergebnisse." in html
    assert 'value="accepted" id="id_outcome_0" required checked' in html
    project.refresh_from_db()
    assert project.status == Project.Status.IN_REVIEW

    reviewed(project, by=second_coordinator)
    response = _decide(client, project, outcome="accepted", reason="Überzeugt durch belegte Ergebnisse.")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED


def test_the_review_page_says_how_many_reviews_a_decision_needs(client, partner, coordinator):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    client.force_login(coordinator)

    html = client.get(f"/projects/{project.slug}/pruefung/").content.decode()

    assert "sobald mindestens 2 Bewertungen vorliegen (bisher: 1)" in html


def test_a_one_coordinator_space_lowers_the_number_to_one(partner, coordinator, fachgruppe):
    fachgruppe.min_project_reviews = 1
    fachgruppe.save()
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)

    services.decide(project=project, by=coordinator, outcome="declined", reason="Nicht übertragbar.")

    project.refresh_from_db()
    assert project.status == Project.Status.DECLINED


def test_the_setting_raises_the_default_for_every_space(settings, partner, coordinator, second_coordinator):
    settings.PROJECT_MIN_REVIEWS = 3
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    reviewed(project, by=second_coordinator)

    with pytest.raises(services.TransitionRefusedError, match="mindestens 3 Bewertungen"):
        services.decide(project=project, by=coordinator, outcome="accepted", reason="Gut.")


def test_reviews_of_an_earlier_round_do_not_count(partner, coordinator, second_coordinator):
    project = submitted(ProjectFactory(submitted_by=partner))
    reviewed(project, by=coordinator)
    reviewed(project, by=second_coordinator)
    services.decide(
        project=project, by=coordinator, outcome="returned", reason="Fast.", changes_requested="Mehr."
    )
    project.refresh_from_db()
    submitted(project, number=2)
    reviewed(project, by=coordinator)

    with pytest.raises(services.TransitionRefusedError, match="bisher: 1"):
        services.decide(project=project, by=coordinator, outcome="accepted", reason="Jetzt gut.")


def test_the_staff_set_the_number_of_a_space_in_the_admin(client, fachgruppe):
    staff = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)

    page = client.get(f"/admin/groups/space/{fachgruppe.pk}/change/")

    assert "min_project_reviews" in page.context["adminform"].form.fields


def test_the_review_page_shows_the_submitted_project_beside_the_scoring_form(
    client, partner, coordinator, media_root
):
    project = submitted(
        ProjectFactory(
            submitted_by=partner,
            summary="Betriebe öffnen ihre Werkstätten an Praxistagen.",
            description="## Vorgehen\n\nZwölf Betriebe, vier Schulen, ein Kalender.",
        )
    )
    image = picture(project, alt_text="Auszubildende an der Hobelbank")
    attachment = ProjectAttachment.objects.create(
        project=project,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="Ablaufplan der Praxistage",
        original_name="plan.pdf",
        content_type="application/pdf",
        size=15,
    )
    client.force_login(coordinator)

    html = client.get(f"/projects/{project.slug}/pruefung/").content.decode()

    submission = html[html.index('id="submission-title"') : html.index('id="review-form-title"')]
    assert "Betriebe öffnen ihre Werkstätten an Praxistagen." in submission
    assert "Zwölf Betriebe, vier Schulen, ein Kalender." in submission
    assert reverse("projects:thumbnail", args=[project.slug, image.pk]) in submission
    assert 'alt="Auszubildende an der Hobelbank"' in submission
    assert "Ablaufplan der Praxistage" in submission
    assert reverse("projects:attachment", args=[project.slug, attachment.pk]) in submission
    assert "Bewertung speichern" in html[html.index('id="review-form-title"') :]


def test_the_queue_shows_how_many_reviews_each_project_still_needs(client, partner, coordinator, fachgruppe):
    project = submitted(ProjectFactory(submitted_by=partner, title="Praxistage"))
    reviewed(project, by=coordinator)
    client.force_login(coordinator)

    row = _queue_row(client, "Praxistage")
    assert "1 von 2" in row

    fachgruppe.min_project_reviews = 1
    fachgruppe.save()
    assert "1 von 1" in _queue_row(client, "Praxistage")


def _queue_row(client, title: str) -> str:
    html = client.get("/projects/pruefung/").content.decode()
    start = html.index(title)
    return html[start : html.index("</tr>", start)]
