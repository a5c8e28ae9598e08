"""Widening with a confirmation: no click widens an item until the confirmation page says who and what."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from groups import information, services
from groups.models import AudienceChange, Membership, Thread
from portal.notifications.kinds import Kind
from portal.notifications.models import Event, Notification
from tests.factories import UserFactory
from tests.factories.groups import ThreadFactory
from tests.outbox import deliver_all


def _changes(item) -> list[AudienceChange]:
    return list(
        AudienceChange.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
    )


@pytest.fixture
def secret_thread(inner, inner_member):
    return ThreadFactory(
        space=inner,
        author=inner_member,
        title="Vertraulich: Kammerumlage",
        opening_post="Bitte nicht nach außen geben.\nZweite Zeile des Beitrags.",
    )


def test_the_old_one_click_widen_only_shows_the_confirmation(client, coordinator, secret_thread, inner):
    client.force_login(coordinator)

    response = client.post(f"{secret_thread.get_absolute_url()}moderate/", {"action": "widen"})

    assert response.status_code == 200
    assert "Das lässt sich nicht zurücknehmen." in response.content.decode()
    secret_thread.refresh_from_db()
    assert secret_thread.audience == inner
    assert _changes(secret_thread) == []


def test_a_post_to_the_widen_page_without_the_confirm_field_does_not_widen(
    client, coordinator, secret_thread, inner
):
    client.force_login(coordinator)

    response = client.post(f"{secret_thread.get_absolute_url()}widen/", {})

    assert response.status_code == 200
    secret_thread.refresh_from_db()
    assert secret_thread.audience == inner


def test_the_confirmation_names_the_ring_counts_the_newly_reached_and_shows_the_opening(
    client, coordinator, partner, inner_member, fachgruppe, secret_thread
):
    Membership.objects.create(space=fachgruppe, user=UserFactory())
    # Inside the Fachgruppe now: partner and the new member; inner_member and coordinator saw it already.
    client.force_login(coordinator)

    html = client.get(f"{secret_thread.get_absolute_url()}widen/").content.decode()

    assert "Fachgruppe Handwerk" in html
    assert "2 Personen" in html
    assert "Vertraulich: Kammerumlage" in html
    assert "Bitte nicht nach außen geben." in html
    assert "Das lässt sich nicht zurücknehmen." in html


def test_confirming_widens_records_the_change_and_tells_the_author(
    client, coordinator, partner, inner_member, inner, fachgruppe, secret_thread
):
    client.force_login(coordinator)

    response = client.post(f"{secret_thread.get_absolute_url()}widen/", {"confirm": "widen"})

    assert response.status_code == 302
    secret_thread.refresh_from_db()
    assert secret_thread.audience == fachgruppe
    [change] = _changes(secret_thread)
    assert (change.from_audience, change.to_audience, change.changed_by) == (inner, fachgruppe, coordinator)
    deliver_all()
    told = Notification.objects.get(user=inner_member, event__kind=Kind.WIDENED_FOR_AUTHOR)
    assert told.event.data["title"] == "Vertraulich: Kammerumlage"
    assert told.event.data["ring"] == "Fachgruppe Handwerk"
    assert Notification.objects.filter(user=partner, event__kind=Kind.WIDENED).exists()
    assert not Notification.objects.filter(user=partner, event__kind=Kind.WIDENED_FOR_AUTHOR).exists()
    [letter] = [m for m in mail.outbox if m.to == [inner_member.email]]
    assert letter.subject.endswith("Ihr Beitrag ist jetzt weiter sichtbar: Vertraulich: Kammerumlage")
    assert "hat „Vertraulich: Kammerumlage“ für Fachgruppe Handwerk freigegeben" in letter.body


def test_the_author_is_not_told_of_their_own_widening(coordinator, inner):
    thread = ThreadFactory(space=inner, author=coordinator)

    services.audience_widen(item=thread, by=coordinator)

    assert not Event.objects.filter(kind=Kind.WIDENED_FOR_AUTHOR).exists()


def test_the_public_step_says_everyone_without_signing_in(client, coordinator, fachgruppe):
    thread = ThreadFactory(space=fachgruppe, title="Ergebnis für alle")
    client.force_login(coordinator)

    html = client.get(f"{thread.get_absolute_url()}widen/").content.decode()

    assert "alle Besucherinnen und Besucher ohne Anmeldung" in html
    client.post(f"{thread.get_absolute_url()}widen/", {"confirm": "widen"})
    thread.refresh_from_db()
    assert thread.audience is None


def test_the_confirmation_url_is_hidden_from_outsiders_and_members_who_do_not_coordinate(
    client, partner, inner_member, secret_thread, inner
):
    url = f"{secret_thread.get_absolute_url()}widen/"
    for person in (partner, inner_member):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "widen"}).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")
    secret_thread.refresh_from_db()
    assert secret_thread.audience == inner


def test_the_thread_page_links_to_the_confirmation_in_its_own_visibility_box(
    client, coordinator, secret_thread
):
    client.force_login(coordinator)

    html = client.get(secret_thread.get_absolute_url()).content.decode()

    assert f'href="{secret_thread.get_absolute_url()}widen/"' in html
    assert 'name="action" value="widen"' not in html
    moderation = html[html.index('id="moderation-title"') : html.index('id="visibility-title"')]
    assert "Schließen" in moderation
    assert "teilen" not in moderation


def test_a_move_that_widens_asks_first(client, coordinator, partner, inner, fachgruppe):
    thread = ThreadFactory(space=inner)
    client.force_login(coordinator)
    url = f"{thread.get_absolute_url()}moderate/"

    response = client.post(url, {"action": "move", "to_space": fachgruppe.pk})

    assert response.status_code == 200
    assert "Fachgruppe Handwerk" in response.content.decode()
    thread.refresh_from_db()
    assert (thread.space, thread.audience) == (inner, inner)
    client.post(url, {"action": "move", "to_space": fachgruppe.pk, "confirm": "widen"})
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.space, thread.audience) == (fachgruppe, fachgruppe)


def test_a_document_widens_only_after_confirmation(client, coordinator, inner_member, inner, fachgruppe):
    document = services.document_create(
        space=inner,
        by=inner_member,
        title="Konzeptentwurf",
        description="Entwurf für die Kammern.",
        upload=SimpleUploadedFile("konzept.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(coordinator)
    url = f"{document.get_absolute_url()}widen/"

    assert client.post(url).status_code == 200
    document.refresh_from_db()
    assert document.audience == inner
    html = client.get(url).content.decode()
    assert "Entwurf für die Kammern." in html
    assert "Fachgruppe Handwerk" in html

    client.post(url, {"confirm": "widen"})
    document.refresh_from_db()
    assert document.audience == fachgruppe
    assert Event.objects.filter(kind=Kind.WIDENED_FOR_AUTHOR, recipient_ids=[inner_member.pk]).exists()


def test_an_information_page_is_published_only_after_confirmation(client, coordinator, partner, fachgruppe):
    page = information.information_draft_create(
        space=fachgruppe, by=partner, title="Hitzeschutz", summary="Was Betriebe tun können.", body="Text."
    )
    client.force_login(coordinator)
    url = f"/informationen/{page.slug}/veroeffentlichen/"

    assert client.post(url).status_code == 200
    page.refresh_from_db()
    assert page.published_at is None
    html = client.get(url).content.decode()
    assert "alle Besucherinnen und Besucher ohne Anmeldung" in html
    assert "Was Betriebe tun können." in html

    client.post(url, {"confirm": "widen"})
    page.refresh_from_db()
    assert page.audience is None
    assert page.published_at is not None
    assert len(_changes(page)) == 1
    assert Event.objects.filter(kind=Kind.WIDENED_FOR_AUTHOR, recipient_ids=[partner.pk]).exists()
    deliver_all()
    [letter] = [m for m in mail.outbox if m.to == [partner.email] and "weiter sichtbar" in m.subject]
    assert "für alle Besucherinnen und Besucher ohne Anmeldung freigegeben" in letter.body
