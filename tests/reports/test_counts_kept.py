"""The dashboard's and the activity report's mail figures stay the same when the rows they count
are rolled up and deleted (portal.notifications.tallies), and cost the same at any range."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import InformationPage
from groups.subscriptions import PAGE_MAIL
from portal.notifications import outbox, tallies
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, DeliveryDay, Event, Mail
from privacy import erasure, retention
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
YEAR = timezone.localdate().year - 1
PERIOD = f"?von={YEAR}-01-01&bis={YEAR}-12-31"
# Half an hour before and after midnight in Berlin, where the UTC date is the 31st both times.
LAST_OF_JANUARY = datetime.datetime(YEAR, 1, 31, 23, 30, tzinfo=BERLIN)
FIRST_OF_FEBRUARY = datetime.datetime(YEAR, 2, 1, 0, 30, tzinfo=BERLIN)
SENT, FAILED, SKIPPED = Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.SKIPPED


@pytest.fixture
def dashboard(client, fachgruppe, fachgruppe_coordinator):
    client.force_login(fachgruppe_coordinator)

    def delivery_rows(query: str = PERIOD) -> dict[int, list]:
        response = client.get(f"/auswertung/{fachgruppe.slug}/{query}")
        section = next(section for section in response.context["sections"] if section.slug == "delivery")
        return {row[0].month: row[1:] for row in section.table.rows}

    return delivery_rows


def _event(space, at: datetime.datetime, statuses: list[str]) -> Event:
    event = Event.objects.create(kind=Kind.THREAD_CREATED, audience=Event.Audience.RING, space=space)
    Event.objects.filter(pk=event.pk).update(created_at=at)
    for status in statuses:
        Delivery.objects.create(event=event, user=UserFactory(), channel=Channel.IMMEDIATE, status=status)
    Delivery.objects.filter(event=event).update(created_at=at)
    return event


def test_delivery_figures_survive_the_rollup_and_the_retention_at_a_month_s_edge(
    dashboard, fachgruppe, inner
):
    _event(fachgruppe, LAST_OF_JANUARY, [SENT, SENT, FAILED])
    _event(fachgruppe, FIRST_OF_FEBRUARY, [SENT, SKIPPED])
    _event(inner, FIRST_OF_FEBRUARY, [SENT] * 5)
    before = dashboard()

    retention.forget_delivered_mail()
    after = dashboard()

    # Columns: mails, sent, failed, skipped, mails to subscribers sent and failed.
    assert before[1] == [3, 2, 1, 0, 0, 0]
    assert before[2] == [2, 1, 0, 1, 0, 0]
    assert not Delivery.objects.exists()
    assert after == before


def test_a_delivery_that_settles_late_is_counted_again(dashboard, fachgruppe):
    at = timezone.now() - datetime.timedelta(days=20)
    event = _event(fachgruppe, at, [Delivery.Status.PENDING])
    tallies.roll_up_deliveries()
    Delivery.objects.filter(event=event).update(status=SENT)

    tallies.roll_up_deliveries(now=timezone.now() + datetime.timedelta(days=1))

    day = DeliveryDay.objects.get(space=fachgruppe)
    assert (day.day, day.total, day.sent) == (timezone.localdate(at), 1, 1)
    month = timezone.localdate(at).replace(day=1)
    assert dashboard(f"?von={month:%Y-%m-%d}")[month.month][:2] == [1, 1]


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_seven_years_ask_as_many_queries_as_one(client, fachgruppe, fachgruppe_coordinator):
    for years_back in range(7):
        _event(fachgruppe, LAST_OF_JANUARY.replace(year=YEAR - years_back), [SENT, FAILED])
    tallies.roll_up_deliveries()
    client.force_login(fachgruppe_coordinator)
    url = f"/auswertung/{fachgruppe.slug}/"
    _queries(client, url)

    one_year = _queries(client, url + PERIOD)
    seven_years = _queries(client, url + f"?von={YEAR - 6}-01-01&bis={YEAR}-12-31")

    assert seven_years == one_year


def _page(space, title: str, slug: str) -> InformationPage:
    return InformationPage.objects.create(
        space=space, title=title, slug=slug, summary="Kurz.", body="Text.", published_at=LAST_OF_JANUARY
    )


def _mails(page: InformationPage, at: datetime.datetime, count: int, status: str = SENT) -> None:
    Mail.objects.bulk_create(
        Mail(
            template=PAGE_MAIL,
            recipient=f"betrieb-{page.pk}-{at:%d}-{number}@example.org",
            params={"page": page.pk, "subscriber": number},
            status=status,
            sent_at=at if status == SENT else None,
        )
        for number in range(count)
    )
    Mail.objects.filter(template=PAGE_MAIL, params__page=page.pk, status=status).update(created_at=at)


def test_subscriber_mails_shown_before_the_outbox_deletes_them_are_shown_after(
    client, dashboard, fachgruppe, inner, fachgruppe_coordinator
):
    page = _page(fachgruppe, "Quereinstieg in die Backstube", "quereinstieg")
    _mails(page, LAST_OF_JANUARY, 3)
    _mails(page, FIRST_OF_FEBRUARY, 2)
    _mails(page, FIRST_OF_FEBRUARY, 1, status=FAILED)
    _mails(_page(inner, "Nur für den inneren Kreis", "innen"), FIRST_OF_FEBRUARY, 4)

    def report_counts() -> dict[str, int]:
        response = client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}/")
        return {row.title: row.subscriber_mails for row in response.context["report"].information.rows}

    before, report_before = dashboard(), report_counts()
    outbox.recover()
    after, report_after = dashboard(), report_counts()

    assert (before[1][4], before[2][4]) == (3, 2)
    # The mail that finally failed is counted as well, also once the outbox gave it up for good.
    assert (before[1][5], before[2][5]) == (0, 1)
    assert report_before == {"Quereinstieg in die Backstube": 5}
    assert not Mail.objects.filter(status__in=[SENT, FAILED]).exists()
    assert after == before
    assert report_after == report_before


def test_an_erasure_keeps_every_counted_mail(client, dashboard, fachgruppe, partner):
    """The erased person's mails (to their address, and their notifications) stay counted."""
    page = _page(fachgruppe, "Quereinstieg in die Backstube", "quereinstieg")
    _mails(page, LAST_OF_JANUARY, 2)
    _mails(page, FIRST_OF_FEBRUARY, 1, status=FAILED)
    Mail.objects.filter(template=PAGE_MAIL).update(recipient=partner.email)
    now = timezone.now()
    for at, status in [
        (LAST_OF_JANUARY, SENT),
        (FIRST_OF_FEBRUARY, FAILED),
        (FIRST_OF_FEBRUARY, SKIPPED),
        # Rolled up but still recounted, and not yet rolled up.
        (now - datetime.timedelta(days=20), SENT),
        (now - datetime.timedelta(days=3), FAILED),
    ]:
        event = _event(fachgruppe, at, [])
        Delivery.objects.create(event=event, user=partner, channel=Channel.IMMEDIATE, status=status)
        Delivery.objects.filter(event=event).update(created_at=at)
    tallies.roll_up_deliveries()
    recent = f"?von={timezone.localdate(now - datetime.timedelta(days=40)):%Y-%m-%d}"

    def report_counts() -> dict[str, int]:
        response = client.get(f"/auswertung/{fachgruppe.slug}/taetigkeitsbericht/{YEAR}/")
        return {row.title: row.subscriber_mails for row in response.context["report"].information.rows}

    before, recent_before, report_before = dashboard(), dashboard(recent), report_counts()
    erasure.account_erase(person=partner, actor=partner)
    tallies.roll_up_deliveries()
    retention.forget_delivered_mail()
    after, recent_after, report_after = dashboard(), dashboard(recent), report_counts()

    assert before[1] == [1, 1, 0, 0, 2, 0]
    assert before[2] == [2, 0, 1, 1, 0, 1]
    assert [sum(row[column] for row in recent_before.values()) for column in (0, 1, 2)] == [2, 1, 1]
    assert recent_after == recent_before
    assert not Mail.objects.filter(recipient__iexact=partner.email).exists()
    assert after == before
    assert report_after == report_before == {"Quereinstieg in die Backstube": 2}


def test_a_delivery_handed_out_two_months_after_its_event_is_counted(dashboard, fachgruppe):
    """The beat rolls up every day; the delivery is handed out 60 days after its event (a replay)
    and its journal row is deleted 90 days later: the dashboard still counts it."""
    event_at = datetime.datetime(YEAR, 3, 2, 10, 0, tzinfo=BERLIN)
    event = _event(fachgruppe, event_at, [])
    handed_out = event_at + datetime.timedelta(days=60)
    for day in range(1, 200):
        now = event_at + datetime.timedelta(days=day)
        if now >= handed_out and not Delivery.objects.filter(event=event).exists():
            with time_machine.travel(handed_out, tick=False):
                Delivery.objects.create(
                    event=event, user=UserFactory(), channel=Channel.IMMEDIATE, status=SENT
                )
        tallies.roll_up_deliveries(now=now)
    with time_machine.travel(event_at + datetime.timedelta(days=200), tick=False):
        retention.forget_delivered_mail()

    rows = dashboard()
    assert not Delivery.objects.exists()
    # Counted in the month it was handed out (May), once.
    assert rows[handed_out.month][:3] == [1, 1, 0]
    assert sum(row[0] for row in rows.values()) == 1
