"""The project editor's steps and its selects, as the submitter and a coordinator see them."""

import pytest

from tests.factories.projects import ProjectFactory

pytestmark = pytest.mark.django_db

SUBMIT_STEP = "Prüfen und einreichen"


def test_the_submitter_has_step_five_and_it_opens(client, partner):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(partner)

    page = client.get(f"/projects/{project.slug}/bearbeiten/grunddaten/").content.decode()

    assert f'href="/projects/{project.slug}/einreichen/">5. {SUBMIT_STEP}</a>' in page
    assert client.get(f"/projects/{project.slug}/einreichen/").status_code == 200


def test_a_coordinator_editing_someone_elses_project_has_no_step_that_is_a_404(client, partner, coordinator):
    project = ProjectFactory(submitted_by=partner)
    client.force_login(coordinator)

    for section in ("grunddaten", "medien"):
        response = client.get(f"/projects/{project.slug}/bearbeiten/{section}/")
        assert response.status_code == 200, section
        page = response.content.decode()
        assert SUBMIT_STEP not in page, section
        assert f"/projects/{project.slug}/einreichen/" not in page, section
    assert client.get(f"/projects/{project.slug}/einreichen/").status_code == 404


def test_a_new_project_shows_step_five_but_not_yet_as_a_link(client, partner):
    client.force_login(partner)

    page = client.get("/projects/neu/").content.decode()

    assert f'<span class="nav-link disabled">5. {SUBMIT_STEP}</span>' in page


def test_empty_choices_of_selects_are_worded_in_german(client, partner):
    client.force_login(partner)

    page = client.get("/projects/neu/").content.decode()

    assert '<option value="" selected>– Bitte wählen –</option>' in page
    assert "Select an option" not in page
