"""The rule book imports no feature, so it spells a few feature values itself: they must match."""

from groups import access
from meetings.models import Minutes
from portal.notifications.models import Event


def test_the_rule_book_names_the_published_minutes_as_the_meetings_app_stores_them():
    assert access._PUBLISHED_MINUTES == Minutes.Status.PUBLISHED


def test_the_rule_book_names_the_event_audiences_as_the_notifications_store_them():
    assert set(access._RING_EVENTS) == {Event.Audience.RING, Event.Audience.NEWLY_REACHED}
    assert access._COORDINATION_EVENTS == Event.Audience.COORDINATORS
