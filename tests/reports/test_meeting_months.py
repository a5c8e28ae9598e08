"""The dashboard's kept months (reports/meeting_months.py): a change shows at once, one space's
figures never show on another's dashboard, and "overdue" moves with the day."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Decision, Participant
from portal import readcache
from reports import meeting_months
from tests.factories.meetings import (
    ActionItemFactory,
    AgendaItemFactory,
    HeldMeetingFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
PERIOD = f"?von={YEAR}-01-01&bis={YEAR}-12-31"


def _at(month: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, 10, 15))


def _section(response, slug: str):
    return next(section for section in response.context["sections"] if section.slug == slug)


def _facts(response, slug: str) -> list:
    return [fact.value for fact in _section(response, slug).facts]


def _march(response) -> list:
    return next(row[1:] for row in _section(response, "decisions").table.rows if row[0].month == 3)


@pytest.fixture
def dashboard(client, fachgruppe_coordinator):
    client.force_login(fachgruppe_coordinator)

    def get(space, query: str = PERIOD):
        return client.get(f"/auswertung/{space.slug}/{query}")

    return get


@pytest.fixture
def march(fachgruppe):
    meeting = HeldMeetingFactory(space=fachgruppe, starts_at=_at(3))
    ParticipantFactory(meeting=meeting, attended=False)
    ParticipantFactory(meeting=meeting, attended=False)
    return meeting


def test_attendance_recorded_late_shows_at_once(dashboard, fachgruppe, fachgruppe_coordinator, march):
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 0, 0.0]

    present = Participant.objects.filter(meeting=march).first()
    services.attendance_record(meeting=march, by=fachgruppe_coordinator, present_ids={present.pk})

    assert _facts(dashboard(fachgruppe), "meetings") == [1, 1, 50.0]


def test_a_guest_added_or_removed_late_counts_at_once(dashboard, fachgruppe, march):
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 0, 0.0]

    guest = ParticipantFactory(meeting=march, attended=True)
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 1, 33.3]

    guest.delete()
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 0, 0.0]


def test_a_past_month_s_decisions_and_action_items_follow_late_edits(dashboard, fachgruppe, march):
    item = ActionItemFactory(meeting=march, due_date=datetime.date(YEAR, 4, 1))
    assert _march(dashboard(fachgruppe)) == [0, 1, 1, 1, 0, None]

    Decision.objects.create(agenda_item=AgendaItemFactory(meeting=march), text="Nachgetragen.")
    assert _march(dashboard(fachgruppe))[0] == 1

    item.status, item.done_at = ActionItem.Status.DONE, timezone.now()
    item.save(update_fields=["status", "done_at"])
    assert _march(dashboard(fachgruppe))[1:5] == [1, 0, 0, 1]

    item.delete()
    assert _march(dashboard(fachgruppe))[1:5] == [0, 0, 0, 0]


def test_a_cancelled_meeting_leaves_the_figures_at_once(dashboard, fachgruppe, march):
    ParticipantFactory(meeting=march, attended=True)
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 1, 33.3]

    march.status = "cancelled"
    march.save()

    assert _facts(dashboard(fachgruppe), "meetings") == [0, 0, None]


def test_one_space_s_kept_months_never_show_on_another_s_dashboard(
    client, dashboard, fachgruppe, fachgruppe_coordinator, inner, inner_coordinator, march
):
    secret = HeldMeetingFactory(space=inner, starts_at=_at(3))
    for _ in range(7):
        ParticipantFactory(meeting=secret, attended=True)
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 0, 0.0]

    client.force_login(inner_coordinator)
    inner_page = client.get(f"/auswertung/{inner.slug}/{PERIOD}")

    assert _facts(inner_page, "meetings") == [1, 7, 100.0]
    client.force_login(fachgruppe_coordinator)
    assert _facts(dashboard(fachgruppe), "meetings") == [1, 0, 0.0]


def test_a_kept_month_s_open_item_becomes_overdue_the_day_its_date_passes(dashboard, fachgruppe, march):
    due = timezone.localdate() + datetime.timedelta(days=2)
    ActionItemFactory(meeting=march, due_date=due)
    assert _march(dashboard(fachgruppe))[1:4] == [1, 1, 0]

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert _march(dashboard(fachgruppe))[1:4] == [1, 1, 1]


def test_a_partial_month_is_not_answered_from_the_whole_month_kept(dashboard, fachgruppe):
    for day in (5, 20):
        meeting = HeldMeetingFactory(space=fachgruppe, starts_at=_at(3).replace(day=day))
        ParticipantFactory(meeting=meeting, attended=True)
    assert _facts(dashboard(fachgruppe), "meetings")[:2] == [2, 2]

    assert _facts(dashboard(fachgruppe, f"?von={YEAR}-03-15&bis={YEAR}-12-31"), "meetings")[:2] == [1, 1]


def test_kept_months_spare_their_queries(client, dashboard, fachgruppe, march):
    ActionItemFactory(meeting=march, status=ActionItem.Status.DONE, done_at=_at(3))
    dashboard(fachgruppe)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard(fachgruppe)
        return len(captured.captured_queries)

    warm = queries()
    generation, today = readcache.generation(), timezone.localdate()
    # What a change does to the kept months (it forgets the other shared reads too).
    readcache.forget(
        [
            meeting_months.kept_key(f, space=fachgruppe, generation=generation, today=today)
            for f in meeting_months._COUNTS
        ]
    )
    cold = queries()

    # The whole year is kept: neither the attendance nor the decisions and action items are asked.
    assert cold - warm == 3
