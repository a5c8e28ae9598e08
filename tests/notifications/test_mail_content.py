"""Mails that stand on their own: each kind's text and HTML say what happened, to what and what to
do next with the link; the salutation comes from the profile; lists keep their line breaks; every
HTML mail is the one shared layout; allauth's mails speak in the portal's voice on SITE_URL."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from groups import services
from groups.models import JoinRequest, Profile
from groups.notify import excerpt
from portal.notifications import delivery
from portal.notifications.kinds import Kind
from portal.notifications.mail import HAPPENED, NEXT_STEPS, event_message, render_event
from portal.notifications.models import Event
from portal.salutation import salutation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AGENDA = "1. Begrüßung\n2. Gemeinsame Aktion Hitzeschutz\n\n\n3. Verschiedenes"

# What every kind's event carries (the apps freeze these keys; see */notify.py).
DATA = {
    "actor": "Jonas Feldmann",
    "space": "Fachgruppe Handwerk",
    "title": "Hitzeschutz auf Baustellen",
    "excerpt": "Ich berate Bäckereien.",
    "url": "/spaces/fachgruppe/",
    "decision": "approved",
    "role": "coordinator",
    "role_before": "member",
    "due_on": "2026-12-24",
    "starts_at": "2026-12-10T14:00:00+01:00",
    "ends_at": "2026-12-10T16:00:00+01:00",
}


def _person(*, name="Henrike Albers", salutation_form="frau", title="Dr.", language="de"):
    user = UserFactory(name=name, language=language)
    Profile.objects.update_or_create(user=user, defaults={"salutation": salutation_form, "title": title})
    return type(user).objects.select_related("profile").get(pk=user.pk)


def _mail(kind, user, **data):
    event = Event.objects.create(kind=kind, audience=Event.Audience.PEOPLE, data={**DATA, **data})
    rendered = render_event(event, language=user.language)
    message = event_message(rendered, user=user, unsubscribe_token="TOKEN", message_id="<x@example.org>")
    return message.body, message.alternatives[0][0]


@pytest.mark.parametrize(
    ("form", "title", "name", "language", "expected"),
    [
        ("frau", "Dr.", "Henrike Albers", "de", "Sehr geehrte Frau Dr. Albers,"),
        ("herr", "", "Jonas Feldmann", "de", "Sehr geehrter Herr Feldmann,"),
        ("", "", "Jonas Feldmann", "de", "Guten Tag Jonas Feldmann,"),
        ("frau", "Dr.", "Henrike Albers", "en", "Dear Ms Dr Albers,"),
        ("herr", "", "Jonas Feldmann", "en", "Dear Mr Feldmann,"),
        ("", "", "Jonas Feldmann", "en", "Hello Jonas Feldmann,"),
        # A title already written into the name is not the surname.
        ("frau", "Dr.", "Dr. Henrike Albers", "de", "Sehr geehrte Frau Dr. Albers,"),
    ],
)
def test_the_salutation_comes_from_the_profile(form, title, name, language, expected):
    user = _person(name=name, salutation_form=form, title=title)
    with translation.override(language):
        assert salutation(user) == expected


def test_without_a_profile_or_a_person_the_salutation_is_neutral():
    with translation.override("de"):
        assert salutation(UserFactory(name="Jonas Feldmann")) == "Guten Tag Jonas Feldmann,"
        assert salutation() == "Guten Tag,"


def test_the_profile_page_sets_anrede_and_title_and_the_next_mail_uses_them(client):
    user = UserFactory(name="Henrike Albers")
    client.force_login(user)
    page = client.get("/profile/").content.decode()
    assert '<label class="form-label" for="id_salutation">Anrede' in page
    assert '<label class="form-label" for="id_title">Titel' in page

    client.post(
        "/profile/",
        {"salutation": "frau", "title": "Dr.", "show_email": "members", "show_phone": "nobody"},
    )

    with translation.override("de"):
        assert salutation(type(user).objects.get(pk=user.pk)) == "Sehr geehrte Frau Dr. Albers,"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_says_what_happened_to_what_and_what_to_do_next(kind):
    user = _person()
    text, html = _mail(kind, user)

    assert text.startswith("Sehr geehrte Frau Dr. Albers,\n")
    assert "<p>Sehr geehrte Frau Dr. Albers,</p>" in html
    assert kind in HAPPENED or (kind, "approved") in HAPPENED
    lead = text.split("\n")[2]
    assert lead
    assert "%(" not in lead
    assert lead in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Hitzeschutz auf Baustellen" in text or "Fachgruppe Handwerk" in lead
    assert kind in NEXT_STEPS or (kind, "approved") in NEXT_STEPS
    assert f"{settings.SITE_URL}/spaces/fachgruppe/" in text
    assert f'href="{settings.SITE_URL}/spaces/fachgruppe/"' in html
    # The one shared layout, with the way out of this kind of mail.
    assert html.count("<!DOCTYPE html>") == 1
    assert "max-width: 640px" in html
    assert "/notifications/unsubscribe/TOKEN/" in text
    assert "/notifications/unsubscribe/TOKEN/" in html
    assert "\x00" not in text + html


def test_the_join_approval_mail_has_a_body():
    requester = _person(name="Jonas Feldmann", salutation_form="herr", title="")
    text, html = _mail(Kind.JOIN_DECIDED, requester, decision="approved", excerpt="", title="", reason="")

    assert "Sehr geehrter Herr Feldmann," in text
    assert (
        "Ihre Beitrittsanfrage wurde angenommen: Sie sind jetzt Mitglied im Raum „Fachgruppe Handwerk“."
        in text
    )
    assert "können mitarbeiten" in text
    assert "können mitarbeiten" in html


def test_the_join_approval_mail_in_english():
    requester = _person(name="Jonas Feldmann", salutation_form="herr", title="", language="en")
    text, _html = _mail(Kind.JOIN_DECIDED, requester, decision="declined", excerpt="", title="")

    assert text.startswith("Dear Mr Feldmann,")
    assert "was declined" in text


def test_the_agenda_keeps_its_line_breaks_in_text_and_html():
    kept = excerpt(AGENDA)
    assert kept == "1. Begrüßung\n2. Gemeinsame Aktion Hitzeschutz\n\n3. Verschiedenes"

    text, html = _mail(Kind.AGENDA_PUBLISHED, _person(), excerpt=kept)

    assert "1. Begrüßung\n2. Gemeinsame Aktion Hitzeschutz\n\n3. Verschiedenes" in text
    assert "1. Begrüßung<br>2. Gemeinsame Aktion Hitzeschutz<br><br>3. Verschiedenes" in html


def test_a_delivered_decision_greets_the_requester_formally(fachgruppe, requester, coordinator):
    Profile.objects.update_or_create(user=requester, defaults={"salutation": "frau", "title": "Dr."})
    join_request = JoinRequest.objects.get(user=requester)
    services.join_request_approve(join_request=join_request, by=coordinator)
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        for batch in delivery.dispatch(event_id):
            delivery.send_immediate(batch)

    [message] = [m for m in mail.outbox if m.to == [requester.email]]
    surname = requester.name.split()[-1]
    assert message.body.startswith(f"Sehr geehrte Frau Dr. {surname},")
    assert "Mitglied im Raum „Fachgruppe Handwerk“" in message.body


def test_every_html_mail_extends_the_shared_layout():
    templates = Path(settings.BASE_DIR) / "templates"
    mails = sorted(templates.glob("*/email/*.html"))
    assert len(mails) >= 5
    standalone = [
        str(path.relative_to(templates))
        for path in mails
        if '{% extends "email/base.html" %}' not in path.read_text()
        # Pieces included into a mail (answer links, a meeting's details) are no documents of their own.
        and "<html" in path.read_text()
    ]
    assert standalone == []


def test_allauth_mails_speak_in_the_portals_voice_on_site_url(client, account_mails, settings):
    settings.SITE_URL = "https://portal.example.org"
    user = UserFactory(name="Henrike Albers")
    Profile.objects.update_or_create(user=user, defaults={"salutation": "frau", "title": "Dr."})

    client.post("/accounts/password/reset/", {"email": user.email})
    [message] = account_mails()

    assert message.body.startswith("Sehr geehrte Frau Dr. Albers,")
    assert "Hallo von" not in message.body
    assert "Vielen Dank, dass Sie" not in message.body
    assert "testserver" not in message.body
    assert re.search(r"https://portal\.example\.org/accounts/password/reset/key/\S+/", message.body)
    assert "Fachgruppe Handwerk der Offensive Mittelstand" in message.body


def test_the_digest_says_what_happened_with_the_salutation_in_the_shared_layout(fachgruppe, partner):
    from groups.models import Membership
    from portal.notifications import digests
    from portal.notifications.kinds import Channel

    reader = _person(name="Henrike Albers")
    Membership.objects.create(space=fachgruppe, user=reader)
    services.thread_create(
        space=fachgruppe, author=partner, title="Hitzeschutz", body="1. Wasser\n2. Schatten"
    )
    for event_id in Event.objects.filter(state=Event.State.PENDING).values_list("pk", flat=True):
        delivery.dispatch(event_id)
    mail.outbox.clear()

    assert digests.send_digest(channel=Channel.DAILY, user_id=reader.pk) == 1

    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.body.startswith("Sehr geehrte Frau Dr. Albers,")
    happened = f"{partner.name} hat im Raum „Fachgruppe Handwerk“ die Diskussion „Hitzeschutz“ begonnen."
    assert happened in message.body
    assert happened in html
    assert "1. Wasser<br>2. Schatten" in html
    assert "max-width: 640px" in html


def test_the_demo_addresses_its_coordinator_and_guest_formally(settings, fachgruppe, inner):
    # The demo seeds onto the spaces of the migration, which a transactional test before may have flushed.
    from django.core.management import call_command

    from groups.models import User

    settings.DEBUG = True
    call_command("seed_demo", password="Demo-Passwort-fuer-Tests-1")
    users = {u.email: u for u in User.objects.select_related("profile")}

    with translation.override("de"):
        assert salutation(users["koordination@example.org"]) == "Sehr geehrte Frau Dr. Albers,"
        assert salutation(users["gast@example.org"]) == "Sehr geehrter Herr Feldmann,"
