"""The site header is kept per state (portal/header.py), yet every reader sees their own: their
name, their unread count, their staff link, their CSRF token and the address they are on."""

import re

import pytest
from django.conf import settings
from django.test import Client

from groups import services
from groups.models import Membership
from tests.factories import UserFactory, with_totp
from tests.htmltree import parse
from tests.outbox import deliver_all

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def _header(client, url: str = "/"):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response).one("header", class_="site-header")


def _account_links(header) -> list[str]:
    return [" ".join(link.text().split()) for link in header.one("nav", class_="site-nav__account").all("a")]


def _unread(header) -> str:
    return header.one("span", id="notification-badge").text().split()[0]


def _signed_in(user, **client_arguments) -> Client:
    client = Client(**client_arguments)
    client.force_login(user)
    return client


def _new_thread(space, author, title: str) -> None:
    services.thread_create(space=space, author=author, title=title, body="Wer macht mit?")
    deliver_all()


@pytest.fixture
def anna(fachgruppe):
    user = UserFactory(name="Anna Amsel")
    Membership.objects.create(space=fachgruppe, user=user)
    return user


@pytest.fixture
def bernd(fachgruppe):
    user = UserFactory(name="Bernd Bussard")
    Membership.objects.create(space=fachgruppe, user=user)
    return user


def test_two_people_in_turn_each_see_their_own_name_and_unread_count(fachgruppe, partner, anna, bernd):
    _new_thread(fachgruppe, partner, "Erste")
    anna_client, bernd_client = _signed_in(anna), _signed_in(bernd)
    assert bernd_client.post("/notifications/read-all/").status_code == 302  # Bernd has read his

    for _turn in range(2):
        anna_header, bernd_header = _header(anna_client), _header(bernd_client)
        assert "Anna Amsel" in _account_links(anna_header)
        assert "Bernd Bussard" not in anna_header.text()
        assert "Bernd Bussard" in _account_links(bernd_header)
        assert "Anna Amsel" not in bernd_header.text()
        assert (_unread(anna_header), _unread(bernd_header)) == ("1", "0")


def test_a_new_notification_shows_in_the_header_at_once(fachgruppe, partner, anna):
    client = _signed_in(anna)
    assert _unread(_header(client)) == "0"

    _new_thread(fachgruppe, partner, "Erste")

    header = _header(client)
    assert _unread(header) == "1"
    assert "text-bg-danger" in header.one("span", id="notification-badge")["class"]


def test_the_staff_link_follows_the_role(anna):
    client = _signed_in(anna)
    assert "Verwaltung" not in _account_links(_header(client))

    with_totp(anna)  # staff must use two factors, or every page leads to setting them up
    anna.is_staff = True
    anna.save(update_fields=["is_staff"])

    assert "Verwaltung" in _account_links(_header(client))
    assert "Verwaltung" not in _account_links(_header(_signed_in(UserFactory(name="Carla Cousin"))))


def test_a_coordinator_and_a_partner_see_their_own_header_on_the_same_page(fachgruppe, coordinator, anna):
    coordinator_header = _header(_signed_in(coordinator), f"/spaces/{fachgruppe.slug}/")
    partner_header = _header(_signed_in(anna), f"/spaces/{fachgruppe.slug}/")

    assert coordinator.name in _account_links(coordinator_header)
    assert "Anna Amsel" not in coordinator_header.text()
    assert "Anna Amsel" in _account_links(partner_header)
    assert coordinator.name not in partner_header.text()


def test_a_changed_name_shows_at_once_and_is_escaped(anna):
    client = _signed_in(anna)
    _header(client)

    anna.name = "Anna <b>Amsel</b> & Co"
    anna.save(update_fields=["name"])

    response = client.get("/")
    assert "Anna &lt;b&gt;Amsel&lt;/b&gt; &amp; Co" in response.content.decode()
    assert "Anna <b>Amsel</b> & Co" in _account_links(parse(response).one("header", class_="site-header"))


def test_signed_out_visitors_see_the_sign_in_links_and_no_one_elses_menu(anna):
    _header(_signed_in(anna))

    header = _header(Client())

    assert _account_links(header) == ["Anmelden", "Registrieren"]
    assert "Anna Amsel" not in header.text()
    assert header.one("span", id="notification-badge") is None


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "Start"),
        ("/mein-ueberblick/", "Mein Überblick"),
        ("/projects/", "Projekte"),
        ("/meetings/", "Sitzungen"),
    ],
)
def test_the_current_section_is_marked_in_the_navigation(anna, url, current):
    client = _signed_in(anna)
    for _ in range(2):  # rendered, then kept
        navigation = _header(client, url).one("nav", **{"aria-label": "Hauptnavigation"})
        marked = navigation.all("a", **{"aria-current": True})
        assert [link.text() for link in marked] == [current]


def _form_fields(form) -> dict[str, str]:
    fields = {field["name"]: field.attrs.get("value", "") for field in form.all("input") if field.has("name")}
    fields.update({select["name"]: "en" for select in form.all("select")})
    return fields


def test_the_language_switch_returns_each_reader_to_their_own_address_with_a_working_token(anna, bernd):
    anna_client = _signed_in(anna, enforce_csrf_checks=True)
    bernd_client = _signed_in(bernd, enforce_csrf_checks=True)
    _header(anna_client, "/projects/?q=Holz&region=Nord")

    form = _header(bernd_client, '/projects/?q=Lehm&x="<>').one("form", class_="language-switch")
    fields = _form_fields(form)
    assert fields["next"] == "/projects/?q=Lehm&x=%22%3C%3E"
    response = bernd_client.post(form["action"], fields)

    assert response.status_code == 302
    assert response["Location"] == "/projects/?q=Lehm&x=%22%3C%3E"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    header = _header(bernd_client)
    assert _account_links(header)[0].startswith("Notifications")
    assert header.one("option", selected=True)["value"] == "en"


def test_signing_out_from_the_header_works_for_each_reader(anna, bernd):
    anna_client = _signed_in(anna, enforce_csrf_checks=True)
    bernd_client = _signed_in(bernd, enforce_csrf_checks=True)
    anna_form = _header(anna_client).one("form", action="/accounts/logout/")

    bernd_form = _header(bernd_client).one("form", action="/accounts/logout/")
    anna_token, bernd_token = (_form_fields(form)["csrfmiddlewaretoken"] for form in (anna_form, bernd_form))
    assert re.fullmatch(r"[A-Za-z0-9]{64}", bernd_token)
    response = bernd_client.post(bernd_form["action"], {"csrfmiddlewaretoken": bernd_token})

    assert response.status_code == 302
    assert "Anmelden" in _account_links(_header(bernd_client))
    assert anna_client.post(anna_form["action"], {"csrfmiddlewaretoken": anna_token}).status_code == 302
    assert "Anmelden" in _account_links(_header(anna_client))
