import pytest

from groups import services
from portal.notifications import delivery
from portal.notifications.models import Event


@pytest.mark.django_db
def test_staff_see_the_delivery_state_of_an_event(staff_client, fachgruppe, coordinator, outsider):
    services.join_request_create(space=fachgruppe, user=outsider)
    event = Event.objects.get()
    for batch in delivery.dispatch(event.pk):
        delivery.send_immediate(batch)

    listing = staff_client.get("/admin/notifications/event/").content.decode()
    detail = staff_client.get(f"/admin/notifications/event/{event.pk}/change/").content.decode()

    assert "Neue Beitrittsanfrage" in listing
    assert "Verteilt" in listing
    assert coordinator.email in detail or coordinator.name in detail
    assert "Verschickt" in detail
