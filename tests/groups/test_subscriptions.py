"""Public subscriptions without an account: double opt-in, mail on publishing, one-click unsubscribe."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from groups import information, subscriptions
from groups.models import InformationPage, Subscriber, Trade
from portal.notifications import journal, outbox
from portal.notifications.models import Mail
from tests.groups.test_information import published

# The form's rate limits live in the shared cache; each test starts without.
pytestmark = pytest.mark.usefixtures("clear_cache")

THANKS = "Bitte sehen Sie in Ihr Postfach"
TOO_MANY = "Zu viele Anfragen"


@pytest.fixture
def subscribe(client, outbox_at_once, django_capture_on_commit_callbacks):
    """Sends the form as a visitor would; the confirmation mail goes out as the worker would send it."""

    def send(email="betrieb@example.org", **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/informationen/abonnieren/", {"email": email, "consent": "on", **data}, follow=True
            )

    return send


def confirm_link(message) -> str:
    [line] = [line for line in message.body.splitlines() if "/abonnement/bestaetigen/" in line]
    return line.strip().removeprefix("http://testserver")


def mail_the_subscribers(page: InformationPage) -> None:
    """What the worker does after publishing: fan out, then send every batch."""
    for batch in subscriptions.fan_out(page.pk):
        outbox.send_mails(batch)


def confirmed(email="betrieb@example.org", trades=()) -> Subscriber:
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now())
    subscriber.trades.set(trades)
    return subscriber


def test_double_opt_in_from_form_to_first_mail(subscribe, client, fachgruppe, coordinator):
    response = subscribe(email="Betrieb@Example.org")

    assert THANKS in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["betrieb@example.org"]
    assert message.subject == "[Fachgruppe Handwerk] Bitte bestätigen Sie Ihr Abonnement"
    link = confirm_link(message)
    assert "Abonnement bestätigen" in client.get(link).content.decode()

    response = client.post(link)

    assert response.status_code == 200
    assert "Abonnement bestätigt" in response.content.decode()
    assert "an b***@example.org" in response.content.decode()
    assert "betrieb@example.org" not in response.content.decode()
    assert Subscriber.objects.get().is_active
    mail.outbox.clear()
    page = published(fachgruppe, coordinator, title="Neues für Betriebe")
    mail_the_subscribers(page)
    [news] = mail.outbox
    assert news.to == ["betrieb@example.org"]
    assert news.subject == "[Fachgruppe Handwerk] Neue Information für Betriebe: Neues für Betriebe"
    assert f"http://testserver{page.get_absolute_url()}" in news.body


def test_an_unconfirmed_address_gets_nothing_but_the_confirmation(subscribe, client, fachgruppe, coordinator):
    subscribe()
    mail.outbox.clear()

    mail_the_subscribers(published(fachgruppe, coordinator))

    assert mail.outbox == []
    assert not Mail.objects.filter(template=subscriptions.PAGE_MAIL).exists()


def test_the_confirmation_link_works_once(subscribe, client, fachgruppe):
    subscribe()
    link = confirm_link(mail.outbox[0])

    assert client.post(link).status_code == 200
    again = client.post(link)

    assert again.status_code == 404
    assert "bereits verwendet oder ist abgelaufen" in again.content.decode()
    assert client.get(link).status_code == 404


def test_an_old_confirmation_link_has_expired(subscribe, client, fachgruppe):
    subscribe()
    link = confirm_link(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.post(link).status_code == 404

    assert not Subscriber.objects.get().is_active


def test_the_form_never_reveals_whether_an_address_is_subscribed(subscribe, client, fachgruppe):
    confirmed(email="schon@example.org")

    known = subscribe(email="schon@example.org").content.decode()
    unknown = subscribe(email="neu@example.org").content.decode()

    assert THANKS in known
    assert THANKS in unknown
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]


def test_the_same_address_is_mailed_at_most_once_in_ten_minutes(subscribe, client, fachgruppe):
    subscribe()
    subscribe()
    assert len(mail.outbox) == 1

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        subscribe()

    assert len(mail.outbox) == 2
    assert confirm_link(mail.outbox[0]) != confirm_link(mail.outbox[1])


def test_the_form_without_consent_keeps_the_address_and_sends_nothing(client, fachgruppe):
    response = client.post("/informationen/abonnieren/", {"email": "betrieb@example.org"})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="betrieb@example.org"' in content
    assert "Bitte stimmen Sie zu, damit wir Ihnen Neues per E-Mail schicken dürfen." in content
    assert "Dieses Feld ist zwingend erforderlich." not in content
    assert not Subscriber.objects.exists()


def test_the_consent_box_links_the_datenschutzerklaerung(client, db):
    content = client.get("/informationen/abonnieren/").content.decode()

    consent = content[content.index('id="id_consent"') :]
    consent = consent[: consent.index("</div>")]
    assert '<a href="/rechtliches/datenschutz/">Datenschutzerklärung</a>' in consent


def test_subscribers_get_only_the_trades_they_chose(fachgruppe, coordinator):
    bakery = Trade.objects.create(name="Bäckerhandwerk", slug="baeckerhandwerk")
    joinery = Trade.objects.create(name="Tischlerhandwerk", slug="tischlerhandwerk")
    confirmed(email="baeckerei@example.org", trades=[bakery])
    confirmed(email="alles@example.org")

    mail_the_subscribers(published(fachgruppe, coordinator, title="Holz", trades=[joinery]))
    mail_the_subscribers(published(fachgruppe, coordinator, title="Brot", trades=[bakery]))
    mail_the_subscribers(published(fachgruppe, coordinator, title="Für alle Gewerke"))

    received = sorted((m.to[0], m.subject.rsplit(": ", 1)[1]) for m in mail.outbox)
    assert received == [
        ("alles@example.org", "Brot"),
        ("alles@example.org", "Für alle Gewerke"),
        ("alles@example.org", "Holz"),
        ("baeckerei@example.org", "Brot"),
        ("baeckerei@example.org", "Für alle Gewerke"),
    ]


def test_every_mail_carries_a_one_click_unsubscribe_of_its_subscriber(fachgruppe, coordinator):
    subscriber = confirmed()

    mail_the_subscribers(published(fachgruppe, coordinator))

    [message] = mail.outbox
    url = f"http://testserver/informationen/abonnement/abbestellen/{subscriber.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body


def test_the_mailing_is_a_list_of_its_own_on_the_portals_domain(subscribe, fachgruppe, coordinator):
    subscribe()
    [confirmation] = mail.outbox
    subscriber = Subscriber.objects.get()
    subscriber.confirmed_at = timezone.now()
    subscriber.save()

    mail_the_subscribers(published(fachgruppe, coordinator))

    mailing = mail.outbox[-1]
    header = "List-Id: Informationen der Fachgruppe Handwerk <informationen.testserver>"
    assert header in mailing.message().as_string()
    # The confirmation asks one person once; it belongs to no list.
    assert "List-Id" not in confirmation.message().as_string()


def test_one_click_unsubscribe_without_cookies_answers_200_and_repeats_harmlessly(fachgruppe, coordinator):
    subscriber = confirmed()
    mail_client = Client(enforce_csrf_checks=True)
    url = f"/informationen/abonnement/abbestellen/{subscriber.token}/"

    first = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    subscriber.refresh_from_db()
    when = subscriber.unsubscribed_at
    second = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert "Abbestellt" in second.content.decode()
    subscriber.refresh_from_db()
    assert when is not None
    assert subscriber.unsubscribed_at == when
    mail_the_subscribers(published(fachgruppe, coordinator))
    assert mail.outbox == []


def test_opening_the_unsubscribe_link_only_asks(client, fachgruppe):
    subscriber = confirmed()

    response = client.get(f"/informationen/abonnement/abbestellen/{subscriber.token}/")

    assert "Abbestellen" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.is_active
    assert client.post("/informationen/abonnement/abbestellen/unbekannt/").status_code == 404


def test_the_unsubscribe_page_names_the_address_only_masked(client, fachgruppe):
    subscriber = confirmed(email="jana.schmidt@example.org")

    page = client.get(f"/informationen/abonnement/abbestellen/{subscriber.token}/").content.decode()

    assert "an j***@example.org keine neuen Informationen" in page
    assert "jana.schmidt" not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_secret_link_pages_are_not_stored_and_pass_no_referrer(subscribe, client, fachgruppe, method):
    subscribe()
    subscriber = Subscriber.objects.get()
    subscriber.confirmed_at = timezone.now()
    subscriber.save()

    for url in (
        confirm_link(mail.outbox[0]),
        f"/informationen/abonnement/abbestellen/{subscriber.token}/",
    ):
        response = getattr(client, method)(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["Referrer-Policy"] == "no-referrer", url


def test_subscribing_again_replaces_the_unsubscribe_link_of_old_mails(subscribe, client, fachgruppe):
    subscriber = confirmed()
    old_link = f"/informationen/abonnement/abbestellen/{subscriber.token}/"
    Client(enforce_csrf_checks=True).post(old_link, {"List-Unsubscribe": "One-Click"})

    subscribe()
    client.post(confirm_link(mail.outbox[-1]))
    subscriber.refresh_from_db()

    assert subscriber.is_active
    assert Client(enforce_csrf_checks=True).post(old_link).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.is_active
    new_link = f"/informationen/abonnement/abbestellen/{subscriber.token}/"
    assert Client(enforce_csrf_checks=True).post(new_link).status_code == 200


def test_someone_unsubscribed_before_the_batch_goes_out_gets_nothing(fachgruppe, coordinator):
    subscriber = confirmed()
    page = published(fachgruppe, coordinator)
    [batch] = subscriptions.fan_out(page.pk)

    subscriptions.subscription_cancel(subscriber=subscriber)
    outbox.send_mails(batch)

    assert mail.outbox == []
    assert Mail.objects.get(template=subscriptions.PAGE_MAIL).status == Mail.Status.SKIPPED


def test_fanning_out_and_sending_twice_mails_once(fachgruppe, coordinator):
    confirmed()
    page = published(fachgruppe, coordinator)

    [batch] = subscriptions.fan_out(page.pk)
    outbox.send_mails(batch)
    assert subscriptions.fan_out(page.pk) == []
    outbox.send_mails(batch)

    assert len(mail.outbox) == 1


def test_a_mail_a_dead_worker_sent_is_not_sent_again(fachgruppe, coordinator):
    confirmed()
    page = published(fachgruppe, coordinator)
    [[mail_id]] = subscriptions.fan_out(page.pk)
    # The worker claimed the mail, sent and noted it, then died before marking it sent.
    Mail.objects.filter(pk=mail_id).update(
        status=Mail.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=11)
    )
    journal.note_sent(mail_id, namespace=outbox.JOURNAL_NAMESPACE)

    assert outbox.recover() == []
    outbox.send_mails([mail_id])

    assert mail.outbox == []
    assert Mail.objects.get(pk=mail_id).sent_at is not None
    assert journal.which_were_sent([mail_id], namespace=outbox.JOURNAL_NAMESPACE) == set()


def test_drafts_are_never_mailed(fachgruppe, partner):
    confirmed()
    page = information.information_draft_create(
        space=fachgruppe, by=partner, title="Entwurf", summary="Intern.", body="Intern."
    )

    assert subscriptions.fan_out(page.pk) == []
    assert mail.outbox == []


def test_a_publication_the_broker_lost_is_resumed(fachgruppe, coordinator):
    confirmed()
    page = published(fachgruppe, coordinator)

    assert subscriptions.resumable()["pages"] == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert subscriptions.resumable()["pages"] == [page.pk]


def test_addresses_never_confirmed_are_forgotten_after_a_week(subscribe, client, fachgruppe):
    subscribe()
    confirmed(email="bestaetigt@example.org")

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert subscriptions.forget_unconfirmed() == 1
    assert list(Mail.objects.values_list("recipient", flat=True)) == []

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bestaetigt@example.org"]


def test_one_client_may_name_ten_addresses_an_hour_then_gets_the_portals_429_page(subscribe, fachgruppe):
    for n in range(10):
        assert THANKS in subscribe(email=f"betrieb{n}@example.org").content.decode()
    mail.outbox.clear()

    response = subscribe(email="fremde-adresse@example.org")

    html = response.content.decode()
    assert response.status_code == 429
    assert f"<title>{TOO_MANY} · Fachgruppe Handwerk</title>" in " ".join(html.split())
    assert "Bitte versuchen Sie es später noch einmal." in html
    assert not Subscriber.objects.filter(email="fremde-adresse@example.org").exists()
    assert mail.outbox == []


def test_one_address_is_named_at_most_three_times_a_day_whatever_the_client(fachgruppe):
    def from_client(n):
        return Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            "/informationen/abonnieren/", {"email": "Betrieb@Example.org", "consent": "on"}
        )

    answers = [from_client(n).status_code for n in range(4)]

    assert answers == [302, 302, 302, 429]


def test_another_client_is_not_limited_by_the_first(subscribe, fachgruppe):
    for n in range(11):
        subscribe(email=f"betrieb{n}@example.org")

    response = Client(REMOTE_ADDR="198.51.100.20").post(
        "/informationen/abonnieren/", {"email": "nachbar@example.org", "consent": "on"}
    )

    assert response.status_code == 302
    assert Subscriber.objects.filter(email="nachbar@example.org").exists()
