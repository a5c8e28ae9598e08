"""One-click unsubscribe (RFC 8058): a GET asks, a POST without cookies unsubscribes, once is enough;
a link works once and for a year, and its pages keep the address to themselves."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from groups import services
from groups.models import Membership
from portal.notifications import delivery
from portal.notifications.kinds import Channel, Kind
from portal.notifications.mail import unsubscribe_tokens
from portal.notifications.models import Delivery, Event, Notification, Preference, UnsubscribeToken
from tests.factories import UserFactory


@pytest.fixture
def member(fachgruppe):
    user = UserFactory()
    Membership.objects.create(space=fachgruppe, user=user)
    return user


@pytest.fixture
def mail_client():
    """What a mail provider's one-click POST looks like: no cookies, no session, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def _url(user, topic: str) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_tokens({user.pk}, topic)[user.pk]}/"


def _preferences(user) -> set[tuple[str, int | None, str]]:
    return set(Preference.objects.filter(user=user).values_list("kind", "space_id", "channel"))


def test_a_get_only_asks_for_confirmation_and_changes_nothing(member, mail_client):
    response = mail_client.get(_url(member, Kind.JOIN_REQUESTED))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"an {member.email[0]}***@example.org nicht mehr" in page
    assert member.email not in page
    assert '<form method="post">' in page
    assert _preferences(member) == set()


def test_the_one_click_post_unsubscribes_without_cookies_and_answers_200_without_redirect(
    member, mail_client
):
    response = mail_client.post(_url(member, Kind.JOIN_REQUESTED), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Location" not in response
    assert "Sie erhalten diese Art E-Mail nicht mehr." in response.content.decode()
    assert _preferences(member) == {(Kind.JOIN_REQUESTED, None, Channel.IN_APP)}


def test_repeating_the_post_answers_200_and_changes_nothing_more(member, mail_client):
    url = _url(member, Kind.MENTIONED)
    mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    after_first = _preferences(member)

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Link bereits verwendet" in response.content.decode()
    assert _preferences(member) == after_first


def test_an_old_mail_cannot_unsubscribe_again_after_the_mails_were_switched_back_on(member, mail_client):
    old_link = _url(member, Kind.MENTIONED)
    mail_client.post(old_link, {"List-Unsubscribe": "One-Click"})
    Preference.objects.filter(user=member, kind=Kind.MENTIONED).update(channel=Channel.IMMEDIATE)

    response = mail_client.post(old_link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Es wurde nichts geändert." in response.content.decode()
    assert _preferences(member) == {(Kind.MENTIONED, None, Channel.IMMEDIATE)}
    new_link = _url(member, Kind.MENTIONED)
    assert new_link != old_link
    mail_client.post(new_link, {"List-Unsubscribe": "One-Click"})
    assert _preferences(member) == {(Kind.MENTIONED, None, Channel.IN_APP)}


def test_mails_get_the_same_link_for_a_month_and_then_a_new_one(member):
    first = _url(member, Kind.MENTIONED)

    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert _url(member, Kind.MENTIONED) == first
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert _url(member, Kind.MENTIONED) != first


def test_the_link_of_a_mail_eleven_months_old_still_unsubscribes_with_one_click(member, mail_client):
    link = _url(member, Kind.MENTIONED)

    with time_machine.travel(timezone.now() + timedelta(days=335)):
        _url(member, Kind.MENTIONED)  # newer mails carry newer links meanwhile
        response = mail_client.post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Sie erhalten diese Art E-Mail nicht mehr." in response.content.decode()
    assert _preferences(member) == {(Kind.MENTIONED, None, Channel.IN_APP)}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_older_than_a_year_says_it_expired_and_changes_nothing(member, mail_client, method):
    link = _url(member, Kind.MENTIONED)

    with time_machine.travel(timezone.now() + timedelta(days=366)):
        response = getattr(mail_client, method)(link)

    assert response.status_code == 410
    page = response.content.decode()
    assert "Link abgelaufen" in page
    assert "/notifications/preferences/" in page
    assert _preferences(member) == set()


def test_tokens_are_forgotten_two_years_after_issue_when_the_next_one_is_issued(member):
    UnsubscribeToken.objects.create(
        user=member, topic=Kind.MENTIONED, issued_at=timezone.now() - timedelta(days=731)
    )
    kept = UnsubscribeToken.objects.create(
        user=member, topic=Kind.MENTIONED, issued_at=timezone.now() - timedelta(days=400)
    )

    current = unsubscribe_tokens({member.pk}, Kind.MENTIONED)[member.pk]

    assert set(UnsubscribeToken.objects.filter(user=member).values_list("token", flat=True)) == {
        kept.token,
        current,
    }


@pytest.mark.parametrize("used", [False, True])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_pages_are_never_stored_and_hand_no_referrer_on(member, mail_client, method, used):
    url = _url(member, Kind.MENTIONED)
    if used:
        mail_client.post(url)

    response = getattr(mail_client, method)(url)

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_kind_token_only_affects_that_kind(fachgruppe, member, mail_client):
    Preference.objects.create(user=member, kind=Kind.JOIN_DECIDED, channel=Channel.IMMEDIATE)
    Preference.objects.create(user=member, kind=Kind.MENTIONED, space=fachgruppe, channel=Channel.IMMEDIATE)

    mail_client.post(_url(member, Kind.MENTIONED), {"List-Unsubscribe": "One-Click"})

    assert _preferences(member) == {
        (Kind.JOIN_DECIDED, None, Channel.IMMEDIATE),
        (Kind.MENTIONED, None, Channel.IN_APP),
        (Kind.MENTIONED, fachgruppe.pk, Channel.IN_APP),
    }


def test_the_tokens_of_one_person_do_not_touch_another(member, mail_client):
    other = UserFactory()

    mail_client.post(_url(member, Kind.MENTIONED), {"List-Unsubscribe": "One-Click"})

    assert _preferences(other) == set()


def test_the_weekly_digest_token_stops_only_what_goes_into_the_weekly_digest(member, mail_client):
    Preference.objects.create(user=member, kind=Kind.THREAD_CREATED, channel=Channel.WEEKLY)
    Preference.objects.create(user=member, kind=Kind.JOIN_DECIDED, channel=Channel.IMMEDIATE)

    mail_client.post(_url(member, "digest_weekly"), {"List-Unsubscribe": "One-Click"})

    preferences = _preferences(member)
    assert (Kind.THREAD_CREATED, None, Channel.IN_APP) in preferences
    assert (Kind.JOIN_DECIDED, None, Channel.IMMEDIATE) in preferences
    assert not any(channel == Channel.WEEKLY for _kind, _space, channel in preferences)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_token_is_not_found(db, mail_client, method):
    response = getattr(mail_client, method)("/notifications/unsubscribe/no-such-token/")

    assert response.status_code == 404
    assert "Link nicht mehr gültig" in response.content.decode()


def test_the_pages_name_the_digest_being_unsubscribed(member, mail_client):
    url = _url(member, "digest_daily")

    question = mail_client.get(url).content.decode()
    answer = mail_client.post(url).content.decode()

    assert f"Möchten Sie den täglichen Überblick an {member.email[0]}***@example.org nicht mehr" in question
    assert "Sie erhalten den täglichen Überblick nicht mehr." in answer


def test_an_inner_member_leaving_the_daily_digest_keeps_the_fachgruppes_weekly_one(
    fachgruppe, inner, coordinator, partner, inner_member, mail_client
):
    mail_client.post(_url(inner_member, "digest_daily"), {"List-Unsubscribe": "One-Click"})

    services.thread_create(space=inner, author=coordinator, title="Im inneren Kreis", body="Text")
    services.thread_create(space=fachgruppe, author=partner, title="In der Fachgruppe", body="Text")
    for event_id in Event.objects.values_list("pk", flat=True):
        delivery.dispatch(event_id)

    assert dict(Delivery.objects.filter(user=inner_member).values_list("event__space__slug", "channel")) == {
        fachgruppe.slug: Channel.WEEKLY
    }
    assert Notification.objects.filter(user=inner_member).count() == 2
