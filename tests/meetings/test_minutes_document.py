"""The minutes editor as one document: one save keeps every section, autosave, two coordinators at once."""

import datetime
import re

import pytest
from django.utils import timezone

from groups.models import Membership
from meetings import minutes as service
from meetings.models import ActionItem, Decision, Minutes
from tests.factories import UserFactory, with_totp
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, MeetingFactory
from tests.meetings.minutes_form import editor_fields


@pytest.fixture
def meeting(fachgruppe):
    return HeldMeetingFactory(space=fachgruppe, title="Sitzung der Fachgruppe: Ziele")


@pytest.fixture
def items(meeting):
    return [AgendaItemFactory(meeting=meeting, title=title) for title in ("Begrüßung", "Ziele", "Termine")]


@pytest.fixture
def second_coordinator(fachgruppe):
    person = with_totp(UserFactory(name="Paula Prüfer"))
    Membership.objects.create(space=fachgruppe, user=person, role=Membership.Role.COORDINATOR)
    return person


def _url(meeting, tail: str = "") -> str:
    return f"/meetings/{meeting.pk}/minutes/{tail}"


def test_one_save_keeps_every_section_whichever_button_was_pressed(
    client, meeting, items, coordinator, partner
):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Die Koordination begrüßt die Runde."
    fields[f"item-{items[0].pk}-discussion"] = "Kurze Vorstellungsrunde."
    fields[f"item-{items[1].pk}-discussion"] = "Das Zwiebelmodell."
    fields[f"decision-new-{items[1].pk}-text"] = "Ein Konzept wird erarbeitet."
    fields["action-new-title"] = "Konzept schreiben"
    fields["action-new-assignees"] = [str(partner.pk)]

    # The button under "Weiteres Vorgehen" was pressed: everything else is saved too.
    response = client.post(_url(meeting), fields)

    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).introduction == "Die Koordination begrüßt die Runde."
    for item, text in ((items[0], "Kurze Vorstellungsrunde."), (items[1], "Das Zwiebelmodell.")):
        item.refresh_from_db()
        assert item.discussion == text
    assert list(Decision.objects.values_list("agenda_item_id", "text")) == [
        (items[1].pk, "Ein Konzept wird erarbeitet.")
    ]
    action_item = ActionItem.objects.get()
    assert action_item.title == "Konzept schreiben"
    assert list(action_item.assignees.all()) == [partner]
    page = editor_fields(client, meeting)
    assert page["introduction"] == "Die Koordination begrüßt die Runde."
    assert page["action-new-title"] == ""  # the new row is empty again: sending twice adds nothing


def test_saving_an_unchanged_page_twice_adds_nothing(client, meeting, items, coordinator, partner):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"decision-new-{items[1].pk}-text"] = "Ein Konzept wird erarbeitet."

    client.post(_url(meeting), fields)
    response = client.post(_url(meeting), fields)  # the same page sent again (a double click)

    assert response.status_code == 409
    assert Decision.objects.count() == 1


def test_save_and_publish_saves_first_then_publishes(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Getippt und gleich veröffentlicht."

    response = client.post(_url(meeting), {**fields, "then": "publish"})

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.introduction == "Getippt und gleich veröffentlicht."


def test_an_invalid_action_item_keeps_everything_typed_and_saves_nothing(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Nicht verlieren!"
    fields["action-new-due_date"] = "2027-01-15"  # no title

    response = client.post(_url(meeting), fields)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nicht verlieren!" in page
    assert "Bitte beschreiben Sie die Aufgabe." in page
    assert not ActionItem.objects.exists()
    assert not Minutes.objects.filter(introduction="Nicht verlieren!").exists()


def test_the_follow_up_meeting_is_chosen_among_later_meetings_of_the_space(
    client, meeting, items, coordinator, fachgruppe
):
    later = MeetingFactory(space=fachgruppe, title="Folgesitzung")
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["next-next_meeting"] = str(later.pk)

    client.post(_url(meeting), fields)

    meeting.refresh_from_db()
    assert meeting.next_meeting == later


# --- Autosave ------------------------------------------------------------------------


def _autosave(client, meeting, fields, section):
    return client.post(
        _url(meeting, "autosave/"), {**fields, "section": section}, headers={"HX-Request": "true"}
    )


def test_autosave_saves_the_changed_section_and_answers_with_the_time(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"item-{items[1].pk}-discussion"] = "Beim Tippen gespeichert."
    fields["introduction"] = "Noch nicht dran."

    response = _autosave(client, meeting, fields, f"item-{items[1].pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Entwurf gespeichert um {timezone.localtime():%H:}" in html
    assert f'id="base-item-{items[1].pk}"' in html
    assert 'hx-swap-oob="true"' in html
    items[1].refresh_from_db()
    assert items[1].discussion == "Beim Tippen gespeichert."
    # Only the section that changed: the introduction waits for its own autosave or a save.
    assert Minutes.objects.get(meeting=meeting).introduction == ""


def test_autosave_then_save_of_the_same_page_is_no_conflict(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Erster Satz."
    response = _autosave(client, meeting, fields, "introduction")
    new_base = response.content.decode().split('name="base-introduction" id="base-introduction" value="')[1][
        :20
    ]
    fields["base-introduction"] = new_base  # htmx swaps the fingerprint in
    fields["introduction"] = "Erster Satz. Zweiter Satz."

    response = client.post(_url(meeting), fields)

    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).introduction == "Erster Satz. Zweiter Satz."


def _swap_in(fields: dict, response) -> dict:
    """What htmx does with the autosave's answer: the hidden fields it carries replace the page's."""
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" id="[^"]+" value="([^"]*)" data-hx-swap-oob="true">',
        response.content.decode(),
    ):
        fields[name] = value
    return fields


def test_a_new_decision_autosaves_once_and_its_row_then_edits_it(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    section = f"item-{items[1].pk}"
    fields[f"decision-new-{items[1].pk}-text"] = "Ein Konzept"

    _swap_in(fields, _autosave(client, meeting, fields, section))
    fields[f"decision-new-{items[1].pk}-text"] = "Ein Konzept wird erarbeitet."
    response = _autosave(client, meeting, fields, section)

    assert "Entwurf gespeichert" in response.content.decode()
    assert list(Decision.objects.values_list("agenda_item_id", "text")) == [
        (items[1].pk, "Ein Konzept wird erarbeitet.")
    ]
    # A button pressed afterwards on the same page adds no second decision.
    _swap_in(fields, response)
    fields["introduction"] = "Begrüßung."
    assert client.post(_url(meeting), fields).status_code == 302
    assert list(Decision.objects.values_list("text", flat=True)) == ["Ein Konzept wird erarbeitet."]
    page = editor_fields(client, meeting)
    assert page[f"decision-new-{items[1].pk}-text"] == ""
    assert page[f"decision-{Decision.objects.get().pk}-text"] == "Ein Konzept wird erarbeitet."


def test_emptying_an_autosaved_new_decision_removes_it(client, meeting, items, coordinator):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    section = f"item-{items[0].pk}"
    fields[f"decision-new-{items[0].pk}-text"] = "Versehentlich"
    _swap_in(fields, _autosave(client, meeting, fields, section))
    assert Decision.objects.count() == 1

    fields[f"decision-new-{items[0].pk}-text"] = ""
    _autosave(client, meeting, fields, section)

    assert not Decision.objects.exists()


def test_a_row_cannot_take_over_a_decision_of_another_item(client, meeting, items, coordinator):
    other = Decision.objects.create(agenda_item=items[0], text="Bleibt, wie er ist.", position=1)
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields[f"decision-new-{items[1].pk}-text"] = "Neu"
    fields[f"decision-new-{items[1].pk}-created"] = str(other.pk)

    _autosave(client, meeting, fields, f"item-{items[1].pk}")

    other.refresh_from_db()
    assert other.text == "Bleibt, wie er ist."
    assert list(items[1].decisions.values_list("text", flat=True)) == ["Neu"]


def test_a_new_action_item_autosaves_once_it_says_what_and_who(client, meeting, items, coordinator, partner):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["action-new-title"] = "Konzept schreiben"

    waiting = _autosave(client, meeting, fields, "actions")

    assert "Bitte geben Sie an, wer die Aufgabe übernimmt." in waiting.content.decode()
    assert not ActionItem.objects.exists()
    fields["action-new-assignees"] = [str(partner.pk)]
    _swap_in(fields, _autosave(client, meeting, fields, "actions"))
    fields["action-new-due_date"] = "2026-12-31"
    _swap_in(fields, _autosave(client, meeting, fields, "actions"))

    action_item = ActionItem.objects.get()
    assert (action_item.title, action_item.due_date) == ("Konzept schreiben", datetime.date(2026, 12, 31))
    assert list(action_item.assignees.all()) == [partner]
    assert client.post(_url(meeting), fields).status_code == 302
    assert ActionItem.objects.count() == 1


def test_the_next_date_autosaves(client, fachgruppe, meeting, items, coordinator):
    later = MeetingFactory(space=fachgruppe, starts_at=meeting.starts_at + datetime.timedelta(days=60))
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["next-next_meeting"] = str(later.pk)

    response = _autosave(client, meeting, fields, "next")

    assert "Entwurf gespeichert" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.next_meeting == later


def test_autosave_is_for_coordinators_of_the_home_space_only(
    client, meeting, items, coordinator, partner, inner_coordinator
):
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Von außen"

    for person in (partner, inner_coordinator):
        client.force_login(person)
        assert _autosave(client, meeting, fields, "introduction").status_code == 404
    client.logout()
    assert _autosave(client, meeting, fields, "introduction").status_code == 302  # to the login page
    assert not Minutes.objects.exists()


def test_autosave_never_touches_published_minutes(client, meeting, items, coordinator):
    service.minutes_edit(meeting=meeting, by=coordinator, introduction="Veröffentlicht")
    service.minutes_publish(meeting=meeting, by=coordinator)
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Heimlich geändert"

    response = _autosave(client, meeting, fields, "introduction")

    assert "Nicht gespeichert" in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).introduction == "Veröffentlicht"
    assert "data-autosave" not in client.get(_url(meeting)).content.decode()


# --- Two coordinators at once -------------------------------------------------------


def test_a_save_over_a_newer_text_is_refused_and_shows_both_versions(
    client, meeting, items, coordinator, second_coordinator
):
    client.force_login(coordinator)
    mine = editor_fields(client, meeting)
    client.force_login(second_coordinator)
    theirs = editor_fields(client, meeting)
    theirs[f"item-{items[1].pk}-discussion"] = "Paulas Fassung der Diskussion."
    assert client.post(_url(meeting), theirs).status_code == 302

    client.force_login(coordinator)
    mine[f"item-{items[1].pk}-discussion"] = "Karlas Fassung der Diskussion."
    mine["introduction"] = "Karlas Einleitung."
    response = client.post(_url(meeting), mine)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Jemand anderes hat das Protokoll inzwischen geändert" in page
    assert "Paulas Fassung der Diskussion." in page
    assert "Karlas Fassung der Diskussion." in page
    assert "Karlas Einleitung." in page  # nothing typed is lost
    items[1].refresh_from_db()
    assert items[1].discussion == "Paulas Fassung der Diskussion."
    assert Minutes.objects.get(meeting=meeting).introduction == ""  # refused as a whole


def test_after_a_conflict_saving_again_is_the_deliberate_choice(
    client, meeting, items, coordinator, second_coordinator
):
    client.force_login(coordinator)
    mine = editor_fields(client, meeting)
    service.agenda_item_discussion_edit(agenda_item=items[1], by=second_coordinator, discussion="Paulas Text")
    mine[f"item-{items[1].pk}-discussion"] = "Karlas Text"
    client.post(_url(meeting), mine)

    # The page after the conflict carries the stored fingerprint and still Karla's text.
    again = editor_fields(client, meeting) | {f"item-{items[1].pk}-discussion": "Karlas Text"}
    response = client.post(_url(meeting), again)

    assert response.status_code == 302
    items[1].refresh_from_db()
    assert items[1].discussion == "Karlas Text"


def test_two_coordinators_writing_different_sections_do_not_conflict(
    client, meeting, items, coordinator, second_coordinator
):
    client.force_login(coordinator)
    mine = editor_fields(client, meeting)
    client.force_login(second_coordinator)
    theirs = editor_fields(client, meeting)
    theirs[f"item-{items[2].pk}-discussion"] = "Paula schreibt Punkt 3."
    _autosave(client, meeting, theirs, f"item-{items[2].pk}")

    client.force_login(coordinator)
    mine[f"item-{items[0].pk}-discussion"] = "Karla schreibt Punkt 1."
    response = client.post(_url(meeting), mine)

    assert response.status_code == 302
    for item, text in ((items[0], "Karla schreibt Punkt 1."), (items[2], "Paula schreibt Punkt 3.")):
        item.refresh_from_db()
        assert item.discussion == text


def test_an_autosave_over_a_newer_text_is_refused(client, meeting, items, coordinator, second_coordinator):
    client.force_login(coordinator)
    mine = editor_fields(client, meeting)
    service.minutes_edit(meeting=meeting, by=second_coordinator, introduction="Paulas Einleitung")
    mine["introduction"] = "Karlas Einleitung"

    response = _autosave(client, meeting, mine, "introduction")

    assert "Jemand anderes hat diesen Teil inzwischen geändert" in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).introduction == "Paulas Einleitung"


# --- When minutes can be written ----------------------------------------------------


def test_minutes_cannot_be_started_before_the_meeting_begins(client, fachgruppe, coordinator):
    upcoming = MeetingFactory(space=fachgruppe)
    AgendaItemFactory(meeting=upcoming)
    client.force_login(coordinator)

    page = client.get(_url(upcoming)).content.decode()

    assert "erst beginnen, wenn die Sitzung begonnen hat" in page
    assert 'id="minutes-form"' not in page
    with pytest.raises(Exception, match="erst beginnen"):
        service.minutes_edit(meeting=upcoming, by=coordinator, introduction="Zu früh")
    assert not Minutes.objects.exists()


def test_minutes_can_be_started_while_the_meeting_runs(fachgruppe, coordinator):
    now = timezone.now()
    running = MeetingFactory(
        space=fachgruppe,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=1),
    )

    service.minutes_edit(meeting=running, by=coordinator, introduction="Mitschrift läuft")

    assert Minutes.objects.get(meeting=running).introduction == "Mitschrift läuft"
