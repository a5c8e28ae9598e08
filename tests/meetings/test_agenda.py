from meetings.models import AgendaItem
from portal.notifications import delivery
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, ParticipantFactory


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
