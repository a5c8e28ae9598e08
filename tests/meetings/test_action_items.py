"""Action items: "Meine Aufgaben", status changes by the people concerned, assignments and reminders."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import minutes as service
from meetings.models import ActionItem
from meetings.tasks import remind_action_items
from portal.celery import app
from portal.notifications.kinds import Kind
from portal.notifications.models import Event
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory
from tests.meetings.minutes_form import editor_fields
from tests.querycount import assert_constant_queries


@pytest.fixture
def meeting(fachgruppe, coordinator):
    meeting = HeldMeetingFactory(space=fachgruppe, title="Fachgruppentreffen")
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Begrüßung")
    return meeting


def _task(meeting, coordinator, *, title="Konzept entwerfen", **kwargs):
    return service.action_item_add(meeting=meeting, by=coordinator, title=title, **kwargs)


def _recipients(kind) -> list[list[int]]:
    return list(Event.objects.filter(kind=kind).order_by("pk").values_list("recipient_ids", flat=True))


def test_meine_aufgaben_lists_only_ones_own_items_of_published_minutes(
    client, fachgruppe, meeting, coordinator, partner, inner_member
):
    _task(meeting, coordinator, title="Meine Aufgabe", assignees=[partner], other_assignees="Frau Gast")
    _task(meeting, coordinator, title="Fremde Aufgabe", assignees=[inner_member])
    unpublished = HeldMeetingFactory(space=fachgruppe)
    _task(unpublished, coordinator, title="Aus einem Entwurf", assignees=[partner])
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    html = client.get("/meetings/tasks/").content.decode()

    assert "Meine Aufgabe" in html
    assert f'<td data-label="Wer">{partner.name}, Frau Gast</td>' in html
    assert "Fremde Aufgabe" not in html
    assert "Aus einem Entwurf" not in html


def test_meine_aufgaben_shows_no_draft_item_even_to_the_coordinator_who_may_read_the_draft(
    client, meeting, coordinator
):
    _task(meeting, coordinator, title="Eigene Aufgabe im Entwurf", assignees=[coordinator])
    client.force_login(coordinator)

    assert "Eigene Aufgabe im Entwurf" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Eigene Aufgabe im Entwurf" not in client.get("/meetings/tasks/").content.decode()


def test_meine_aufgaben_lists_open_items_before_finished_ones(client, meeting, coordinator, partner):
    finished = _task(meeting, coordinator, title="Schon erledigt", assignees=[partner])
    _task(meeting, coordinator, title="Noch offen", assignees=[partner])
    service.action_item_finish(action_item=finished, by=coordinator)
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    html = client.get("/meetings/tasks/").content.decode()

    assert html.index("Noch offen") < html.index("Schon erledigt")
    assert '<option value="done" selected>' in html


def test_meine_aufgaben_hides_items_of_meetings_the_person_no_longer_sees(
    client, inner, meeting, coordinator, inner_member
):
    inner_meeting = HeldMeetingFactory(space=inner)
    _task(inner_meeting, coordinator, title="Vertrauliche Aufgabe", assignees=[inner_member])
    service.minutes_publish(meeting=inner_meeting, by=coordinator)
    client.force_login(inner_member)
    assert "Vertrauliche Aufgabe" in client.get("/meetings/tasks/").content.decode()

    inner_member.memberships.filter(space=inner).delete()

    assert "Vertrauliche Aufgabe" not in client.get("/meetings/tasks/").content.decode()


def test_meine_aufgaben_needs_the_same_queries_for_one_or_three_items(client, meeting, coordinator, partner):
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    assert_constant_queries(
        client,
        "/meetings/tasks/",
        grow=lambda: _task(
            meeting, coordinator, assignees=[partner, coordinator], other_assignees="Gast", reason="Nachtrag"
        ),
    )


def test_the_assignee_changes_the_status(client, meeting, coordinator, partner):
    task = _task(meeting, coordinator, assignees=[partner])
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(partner)

    client.post(f"/meetings/tasks/{task.pk}/status/", {"status": "in_progress"})
    task.refresh_from_db()
    assert task.status == ActionItem.Status.IN_PROGRESS

    client.post(f"/meetings/tasks/{task.pk}/status/", {"status": "done"})
    task.refresh_from_db()
    assert task.status == ActionItem.Status.DONE
    assert task.done_at is not None


def test_others_get_404_when_changing_the_status(client, meeting, coordinator, partner, inner_member):
    task = _task(meeting, coordinator, assignees=[partner])
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(inner_member)

    response = client.post(f"/meetings/tasks/{task.pk}/status/", {"status": "done"})

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == ActionItem.Status.OPEN


def test_a_finished_item_cannot_be_finished_again(meeting, coordinator, partner):
    task = _task(meeting, coordinator, assignees=[partner])
    service.action_item_finish(action_item=task, by=coordinator)

    with pytest.raises(ValidationError, match="bereits erledigt"):
        service.action_item_finish(action_item=task, by=coordinator)


def test_assignees_must_be_participants_or_members_free_names_are_welcome(meeting, coordinator, outsider):
    with pytest.raises(ValidationError, match="Teilnehmende oder Mitglieder"):
        _task(meeting, coordinator, assignees=[outsider])

    task = _task(meeting, coordinator, other_assignees="Frau Gast (Handwerkskammer)")
    assert task.assignee_names == "Frau Gast (Handwerkskammer)"


def test_publishing_tells_each_account_assignee_and_later_assignments_too(
    meeting, coordinator, partner, inner_member
):
    _task(meeting, coordinator, assignees=[partner], other_assignees="Herr Gast")
    assert _recipients(Kind.ACTION_ITEM_ASSIGNED) == []

    service.minutes_publish(meeting=meeting, by=coordinator)
    assert _recipients(Kind.ACTION_ITEM_ASSIGNED) == [[partner.pk]]

    task = _task(meeting, coordinator, title="Nachtrag", assignees=[inner_member], reason="Vergessen")
    assert _recipients(Kind.ACTION_ITEM_ASSIGNED) == [[partner.pk], [inner_member.pk]]

    service.action_item_edit(
        action_item=task, by=coordinator, title="Nachtrag", assignees=[inner_member, partner], reason="Hilfe"
    )
    assert _recipients(Kind.ACTION_ITEM_ASSIGNED)[-1] == [partner.pk]


def test_the_edit_page_adds_an_action_item_and_keeps_the_input_on_error(
    client, meeting, coordinator, partner
):
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(coordinator)
    data = editor_fields(client, meeting) | {
        "action-new-title": "Flyer gestalten",
        "action-new-due_date": "2026-13-45",
    }

    response = client.post(f"/meetings/{meeting.pk}/minutes/", data)

    assert response.status_code == 400
    assert 'value="Flyer gestalten"' in response.content.decode()
    data.update({"action-new-due_date": "2027-01-15", "action-new-assignees": [partner.pk]})
    data["action-new-agenda_item"] = item.pk
    client.post(f"/meetings/{meeting.pk}/minutes/", data)
    task = ActionItem.objects.get()
    assert (task.title, task.due_date, task.agenda_item) == (
        "Flyer gestalten",
        datetime.date(2027, 1, 15),
        item,
    )
    assert list(task.assignees.all()) == [partner]


def test_reminders_are_sent_once_when_due_soon_and_once_when_overdue(meeting, coordinator, partner):
    today = timezone.localdate()
    task = _task(meeting, coordinator, assignees=[partner], due_date=today + datetime.timedelta(days=5))
    _task(meeting, coordinator, title="Ohne Konto", other_assignees="Herr Gast", due_date=today)
    service.minutes_publish(meeting=meeting, by=coordinator)

    assert service.action_items_remind() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert service.action_items_remind() == 1
        assert service.action_items_remind() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert service.action_items_remind() == 1
        assert service.action_items_remind() == 0

    assert _recipients(Kind.ACTION_ITEM_DUE) == [[partner.pk]]
    assert _recipients(Kind.ACTION_ITEM_OVERDUE) == [[partner.pk]]
    task.refresh_from_db()
    assert task.reminded_due_at is not None
    assert task.reminded_overdue_at is not None


def test_finished_items_are_not_reminded(meeting, coordinator, partner):
    task = _task(meeting, coordinator, assignees=[partner], due_date=timezone.localdate())
    service.minutes_publish(meeting=meeting, by=coordinator)
    service.action_item_finish(action_item=task, by=partner)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert service.action_items_remind() == 0


def test_the_daily_beat_task_sends_the_reminders(meeting, coordinator, partner):
    _task(
        meeting, coordinator, assignees=[partner], due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    service.minutes_publish(meeting=meeting, by=coordinator)

    assert app.conf.beat_schedule["meetings.remind_action_items"]["task"] == remind_action_items.name
    assert remind_action_items() == 1
    assert _recipients(Kind.ACTION_ITEM_OVERDUE) == [[partner.pk]]
