import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from groups.models import Question
from meetings import services
from meetings.models import AgendaItem, Meeting, Minutes
from portal.notifications import delivery
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories.groups import QuestionFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, ParticipantFactory
from tests.querycount import assert_constant_queries


def _titles(meeting) -> list[tuple[int, str]]:
    return list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title")
    )


def test_reordering_without_javascript_keeps_positions_one_to_n(client, coordinator, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    first, second, third = (
        AgendaItemFactory(meeting=meeting, title=t) for t in ("Begrüßung", "Bericht", "Termine")
    )
    client.force_login(coordinator)
    client.post(f"/meetings/{meeting.pk}/agenda/{third.pk}/move/up/")
    client.post(f"/meetings/{meeting.pk}/agenda/{first.pk}/delete/")
    assert _titles(meeting) == [(1, "Termine"), (2, "Bericht")]
    client.post(f"/meetings/{meeting.pk}/agenda/{second.pk}/move/down/")
    assert _titles(meeting) == [(1, "Termine"), (2, "Bericht")]


def test_publishing_the_agenda_notifies_the_participants(client, coordinator, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    ParticipantFactory(meeting=meeting, user=partner)
    client.force_login(coordinator)
    client.post(f"/meetings/{meeting.pk}/agenda/publish/")
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)
    assert set(
        Notification.objects.filter(event__kind=Kind.AGENDA_PUBLISHED).values_list("user_id", flat=True)
    ) == {partner.pk}


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _publish_minutes(meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED, published_at=timezone.now())


def test_the_form_saves_presenter_and_question_and_page_and_pdf_show_them(
    client, coordinator, partner, fachgruppe
):
    meeting = MeetingFactory(space=fachgruppe)
    question = QuestionFactory(space=fachgruppe, title="Wie gewinnen Betriebe Auszubildende?")
    client.force_login(coordinator)
    form = client.get(f"/meetings/{meeting.pk}/agenda/new/").content.decode()
    assert f'<option value="{partner.pk}">{partner.name}' in form
    assert f'<option value="{question.pk}">Wie gewinnen Betriebe Auszubildende?</option>' in form

    response = client.post(
        f"/meetings/{meeting.pk}/agenda/new/",
        {"title": "Nachwuchs", "presenter": partner.pk, "question": question.pk, "duration_minutes": 20},
    )

    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.presenter, item.question, item.presenter_name) == (partner, question, "")
    _publish_minutes(meeting)
    client.force_login(partner)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"({partner.name}, 20 Minuten)" in page
    assert f'<a href="/fragen/{question.pk}/">Wie gewinnen Betriebe Auszubildende?</a>' in page
    pdf = _pdf_text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))
    assert f"Vortragende Person: {partner.name}" in pdf
    assert "Frage: Wie gewinnen Betriebe Auszubildende?" in pdf


def test_a_guest_presenter_is_named_and_editing_keeps_the_links(client, coordinator, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    question = QuestionFactory(space=fachgruppe)
    item = AgendaItemFactory(meeting=meeting, presenter=partner, question=question)
    client.force_login(coordinator)

    client.post(
        f"/meetings/{meeting.pk}/agenda/{item.pk}/edit/",
        {"title": "Bericht", "presenter": "", "presenter_name": "Katrin Weiß (itb)", "question": question.pk},
    )

    item.refresh_from_db()
    assert (item.title, item.presenter, item.presenter_name, item.question) == (
        "Bericht",
        None,
        "Katrin Weiß (itb)",
        question,
    )
    assert "(Katrin Weiß (itb))" in client.get(meeting.get_absolute_url()).content.decode()


def test_a_question_the_viewer_cannot_see_is_neither_linked_nor_named(
    client, coordinator, partner, inner_member, inner, fachgruppe
):
    # An inner meeting shared with the Fachgruppe takes up a question of the inner circle.
    meeting = MeetingFactory(space=inner, audience=fachgruppe)
    question = QuestionFactory(space=inner, title="Vertrauliche Frage der Kammern")
    services.agenda_item_add(
        meeting=meeting, by=coordinator, fields={"title": "Austausch", "question": question}
    )
    _publish_minutes(meeting)

    client.force_login(partner)
    page = client.get(meeting.get_absolute_url()).content.decode()
    pdf = _pdf_text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))
    client.force_login(inner_member)
    inner_page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Austausch" in page
    assert "Vertrauliche Frage" not in page
    assert f"/fragen/{question.pk}/" not in page
    assert "Vertrauliche Frage" not in pdf
    assert "Vertrauliche Frage der Kammern" in inner_page


def test_a_public_meeting_hides_a_fachgruppe_question_from_the_public(client, fachgruppe, coordinator):
    meeting = MeetingFactory(space=fachgruppe, audience=None)
    question = QuestionFactory(space=fachgruppe, title="Frage nur für Mitglieder")
    AgendaItemFactory(meeting=meeting, title="Offener Punkt", question=question)

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Offener Punkt" in page
    assert "Frage nur für Mitglieder" not in page


def test_choices_outside_the_lists_are_refused_with_a_clear_error(
    client, coordinator, partner, outsider, inner, fachgruppe
):
    meeting = MeetingFactory(space=fachgruppe)
    inner_question = QuestionFactory(space=inner)
    declined = QuestionFactory(space=fachgruppe, status=Question.Status.DECLINED)
    client.force_login(coordinator)
    url = f"/meetings/{meeting.pk}/agenda/new/"

    for data, message in (
        ({"presenter": outsider.pk}, "Diese Person kann hier nicht vortragen."),
        ({"question": inner_question.pk}, "Diese Frage lässt sich hier nicht verknüpfen."),
        ({"question": declined.pk}, "Diese Frage lässt sich hier nicht verknüpfen."),
        ({"presenter": partner.pk, "presenter_name": "Gast"}, "nicht beides"),
    ):
        response = client.post(url, {"title": "Punkt", **data})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_the_service_refuses_what_the_form_would_not_offer(coordinator, outsider, inner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    item = AgendaItemFactory(meeting=meeting)

    with pytest.raises(ValidationError, match="kann hier nicht vortragen"):
        services.agenda_item_add(
            meeting=meeting, by=coordinator, fields={"title": "X", "presenter": outsider}
        )
    with pytest.raises(ValidationError, match="nicht verknüpfen"):
        services.agenda_item_update(
            item=item, by=coordinator, fields={"question": QuestionFactory(space=inner)}
        )


def test_an_invited_guest_with_an_account_may_present(client, coordinator, outsider, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    ParticipantFactory(meeting=meeting, user=outsider)

    item = services.agenda_item_add(
        meeting=meeting, by=coordinator, fields={"title": "Gastvortrag", "presenter": outsider}
    )

    assert item.presenter == outsider


def test_meeting_page_with_presenters_and_questions_has_constant_queries(client, partner, fachgruppe):
    meeting = MeetingFactory(space=fachgruppe)
    client.force_login(partner)

    def grow():
        AgendaItemFactory(meeting=meeting, presenter=partner, question=QuestionFactory(space=fachgruppe))

    assert_constant_queries(client, meeting.get_absolute_url(), grow=grow)


def test_an_agenda_item_presents_an_accepted_project_and_refuses_a_draft(
    client, coordinator, partner, fachgruppe
):
    from tests.factories.projects import ProjectFactory, accepted

    meeting = MeetingFactory(space=fachgruppe)
    showcase = accepted(ProjectFactory(title="Werkstatt-Tage", submitted_by=partner), by=coordinator)
    draft = ProjectFactory(title="Unfertiger Entwurf", submitted_by=partner)
    client.force_login(coordinator)
    form = client.get(f"/meetings/{meeting.pk}/agenda/new/").content.decode()
    assert f'<option value="{showcase.pk}">Werkstatt-Tage</option>' in form
    assert "Unfertiger Entwurf" not in form

    response = client.post(
        f"/meetings/{meeting.pk}/agenda/new/", {"title": "Vorstellung", "project": draft.pk}
    )
    assert response.status_code == 200
    assert "Wählen Sie ein angenommenes Projekt aus der Liste." in response.content.decode()
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, by=coordinator, fields={"title": "X", "project": draft})

    client.post(f"/meetings/{meeting.pk}/agenda/new/", {"title": "Vorstellung", "project": showcase.pk})
    _publish_minutes(meeting)
    client.force_login(partner)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'<a href="/projects/{showcase.slug}/">Werkstatt-Tage</a>' in page
    assert "Modellprojekt: Werkstatt-Tage" in _pdf_text(client.get(f"/meetings/{meeting.pk}/minutes.pdf"))
    assert meeting.title in client.get(showcase.get_absolute_url()).content.decode()
