"""Publishing an event never makes a request wait twice for a broker that is away."""

import pytest

from portal.notifications import events
from portal.notifications.tasks import dispatch_event


@pytest.fixture
def broker_away(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(kwargs)
        raise ConnectionRefusedError("broker away")

    monkeypatch.setattr(dispatch_event, "apply_async", refuse)
    monkeypatch.setattr(events, "_broker_resting_until", 0.0)
    return attempts


def test_after_one_failed_publish_the_next_events_wait_for_the_replay(broker_away):
    assert events.enqueue_dispatch(1) is False
    assert events.enqueue_dispatch(2) is False
    assert events.enqueue_dispatch(3) is False

    assert len(broker_away) == 1


def test_the_broker_is_tried_again_after_the_rest(broker_away, monkeypatch):
    events.enqueue_dispatch(1)
    monkeypatch.setattr(events, "_broker_resting_until", 0.0)

    events.enqueue_dispatch(2)

    assert len(broker_away) == 2
