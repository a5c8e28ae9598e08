"""The retention jobs delete what has no purpose any more, on the schedule the privacy page states."""

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from groups.models import Subscriber
from portal.celery import app
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import Delivery, Event
from privacy import builds, retention, services, tasks
from privacy.models import DataExport
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _built(person) -> DataExport:
    data_export = services.export_request(person=person)
    builds.export_build(data_export.pk)
    data_export.refresh_from_db()
    return data_export


@pytest.mark.django_db
def test_exports_go_with_their_files_after_seven_days(partner, outsider):
    with time_machine.travel(timezone.now() - timedelta(days=7, minutes=1)):
        old = _built(partner)
    with time_machine.travel(timezone.now() - timedelta(days=6, hours=23)):
        fresh = _built(outsider)
    stored = old.file.storage, old.file.name

    deleted = tasks.delete_expired_exports()

    assert deleted == 1
    assert not DataExport.objects.filter(pk=old.pk).exists()
    assert not stored[0].exists(stored[1])
    assert DataExport.objects.filter(pk=fresh.pk).exists()


@pytest.mark.django_db
def test_an_export_the_broker_lost_is_handed_out_again(partner, monkeypatch):
    handed_out = []
    monkeypatch.setattr(tasks.build_export, "apply_async", lambda kwargs: handed_out.append(kwargs))
    with time_machine.travel(timezone.now() - timedelta(minutes=11)):
        lost = services.export_request(person=partner)
    services.export_request(person=UserFactory())

    tasks.delete_expired_exports()

    assert handed_out == [{"export_id": lost.pk}]


@pytest.mark.django_db
def test_delivered_mail_journal_goes_after_ninety_days(partner, fachgruppe):
    event = Event.objects.create(kind=Kind.THREAD_CREATED, audience=Event.Audience.RING, ring=fachgruppe)
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        old_sent = Delivery.objects.create(
            event=event, user=partner, channel=Channel.IMMEDIATE, status=Delivery.Status.SENT
        )
        old_pending = Delivery.objects.create(
            event=event, user=partner, channel=Channel.DAILY, status=Delivery.Status.PENDING
        )
    recent = Delivery.objects.create(
        event=event, user=UserFactory(), channel=Channel.IMMEDIATE, status=Delivery.Status.SENT
    )

    tasks.forget_delivered_mail()

    assert set(Delivery.objects.values_list("pk", flat=True)) == {old_pending.pk, recent.pk}
    assert not Delivery.objects.filter(pk=old_sent.pk).exists()


@pytest.mark.django_db
def test_ended_sessions_leave_the_sessions_list(partner):
    live = SessionStore()
    live.create()
    ended = SessionStore()
    ended.set_expiry(timezone.now() - timedelta(seconds=1))
    ended.create()
    UserSession.objects.create(user=partner, session_key=live.session_key, ip="192.0.2.1", user_agent="A")
    UserSession.objects.create(user=partner, session_key=ended.session_key, ip="192.0.2.2", user_agent="B")
    UserSession.objects.create(user=partner, session_key="gone" * 8, ip="192.0.2.3", user_agent="C")

    deleted = retention.forget_old_sessions()

    assert deleted == 2
    assert list(UserSession.objects.values_list("ip", flat=True)) == ["192.0.2.1"]


@pytest.mark.django_db
def test_unconfirmed_subscribers_are_forgotten_after_a_week():
    from groups.tasks import forget_unconfirmed_subscribers

    with time_machine.travel(timezone.now() - timedelta(days=8)):
        Subscriber.objects.create(email="nie-bestaetigt@example.org")
    Subscriber.objects.create(email="gerade@example.org")

    forget_unconfirmed_subscribers()

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["gerade@example.org"]


def test_beat_runs_every_retention_job():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert {
        "privacy.delete_expired_exports",
        "privacy.forget_old_sessions",
        "privacy.forget_delivered_mail",
        "groups.forget_unconfirmed_subscribers",
        "portal.clear_expired_sessions",
    } <= scheduled


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Speicherdauer", "Nicht bestätigte Abonnements", "Kopien Ihrer Daten", "90 Tage"]),
        ("en", ["How long data is kept", "Unconfirmed subscriptions", "Copies of your data", "90 days"]),
    ],
)
def test_the_privacy_page_lists_the_retention_schedule(client, language, words):
    client.cookies["django_language"] = language
    page = client.get("/rechtliches/datenschutz/", headers={"accept-language": language}).content.decode()

    for word in words:
        assert word in page
    assert "<table" in page
