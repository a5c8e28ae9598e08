"""A model project on a meeting's agenda: put there by a coordinator of its home space, shown on its page
(meetings own the link of an agenda item to a project: meetings/project_agenda.py, meetings/panels.py)."""

import pytest

from meetings import project_agenda
from projects import services
from tests.factories.projects import ProjectFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_coordinator_puts_an_accepted_project_on_an_agenda(client, partner, coordinator, fachgruppe):
    import datetime

    from django.utils import timezone

    from tests.factories.meetings import MeetingFactory
    from tests.factories.projects import accepted

    project = accepted(ProjectFactory(submitted_by=partner, title="Werkstatt-Tage"), by=coordinator)
    meeting = MeetingFactory(space=fachgruppe, starts_at=timezone.now() + datetime.timedelta(days=10))
    client.force_login(coordinator)
    page = client.get(f"/projects/{project.slug}/tagesordnung/").content.decode()
    assert meeting.title in page
    response = client.post(
        f"/projects/{project.slug}/tagesordnung/", {"meeting": meeting.pk, "duration_minutes": "20"}
    )
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    item = meeting.agenda_items.get(project=project)
    assert item.presenter == partner
    assert item.duration_minutes == 20
    assert "Werkstatt-Tage" in item.title
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Vorgestellt in Sitzungen" in page
    assert meeting.title in page
    response = client.post(f"/projects/{project.slug}/tagesordnung/", {"meeting": meeting.pk})
    assert "steht schon auf der Tagesordnung" in response.content.decode()

    draft = ProjectFactory(submitted_by=partner)
    assert client.get(f"/projects/{draft.slug}/tagesordnung/").status_code == 404
    with pytest.raises(services.TransitionRefusedError):
        project_agenda.put_on_agenda(project=draft, meeting=meeting, by=coordinator, duration_minutes=None)


def test_on_an_inner_meeting_a_submitter_outside_the_ring_is_named_as_a_guest(partner, coordinator, inner):
    import datetime

    from django.utils import timezone

    from tests.factories.meetings import MeetingFactory
    from tests.factories.projects import accepted

    project = accepted(ProjectFactory(submitted_by=partner, contact_name="Petra Beispiel"), by=coordinator)
    meeting = MeetingFactory(space=inner, starts_at=timezone.now() + datetime.timedelta(days=10))
    item = project_agenda.put_on_agenda(
        project=project, meeting=meeting, by=coordinator, duration_minutes=None
    )
    assert item.presenter is None
    assert item.presenter_name == "Petra Beispiel"
    assert item.position == 1
