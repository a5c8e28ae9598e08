"""The account pages and account mails address people formally ("Sie"), never with "du".

django-allauth's German catalogue is largely informal; locale/de/LC_MESSAGES/django.po
overrides those strings. These tests render the pages and send the mails the portal
uses, in German, and look for informal words in what a person reads.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

NEW_PASSWORD = "Hobelbank-Neu-2027"

# Pronouns and verb forms of "du", and imperatives allauth's German uses ("gib ... ein",
# "lass dir", "wähle", "kontaktiere uns", "überprüfe", "erstelle", "verwende").
# Word boundaries keep "Ihr", "Direkt" or "Anlass" out.
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure"
    r"|bitte bestätige|hast|bist|kannst|musst|willst"
    r"|gib|lass|wähle|kontaktiere|überprüfe|erstelle|verwende)\b",
    re.IGNORECASE,
)


class _VisibleText(HTMLParser):
    """The text of a page as a person meets it: content, tooltips, labels, button values.

    Scripts are left out except JSON data blocks, which carry allauth's texts for
    dialogs (e.g. the confirmation before removing an e-mail address).
    """

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.hidden = attributes.get("type") != "application/json"
        self.parts.extend(attributes[name] for name in self.ATTRIBUTES if attributes.get(name))
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = False

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def informal_words(text: str) -> list[str]:
    return [match.group(0) for match in INFORMAL.finditer(text)]


def assert_formal(text: str, *phrases: str) -> None:
    assert informal_words(text) == [], text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} missing in: {text}"


def german_page(client, path: str, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    assert response["Content-Language"] == "de"
    return visible_text(response.content.decode())


def sign_up(client, email="erika.meister@example.org", **fields):
    data = {
        "name": "Erika Meister",
        "organisation_name": "Tischlerei Beispiel",
        "email": email,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **fields,
    }
    return client.post("/accounts/signup/", data)


@pytest.fixture
def member(db):
    # Fixed names: Faker's could contain a surname such as "Lass".
    return UserFactory(name="Erika Meister", organisation_name="Tischlerei Beispiel")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_the_word_check_finds_informal_german_and_spares_formal_german():
    informal = "Du hast noch kein Konto? Bitte bestätige deine E-Mail-Adresse. Gib dein Passwort ein."
    formal = "Sie haben noch kein Konto? Bitte bestätigen Sie Ihre E-Mail-Adresse. Direkt, Anlass, Ihr."

    assert informal_words(informal) == ["Du", "hast", "Bitte bestätige", "deine", "Gib", "dein"]
    assert informal_words(formal) == []
    assert visible_text('<p title="Gib acht">a<script>var du;</script><b>b</b></p>') == "Gib acht a b"


# --- Pages ----------------------------------------------------------------

ANONYMOUS_PAGES = {
    "/accounts/login/": ("Anmelden", "Passwort vergessen?", "Sie haben noch kein Konto?"),
    "/accounts/signup/": ("Registrieren", "Sie haben bereits ein Konto?", "melden Sie sich bitte an"),
    "/accounts/password/reset/": (
        "Passwort zurücksetzen",
        "Geben Sie unten Ihre E-Mail-Adresse ein. Wir senden Ihnen dann eine E-Mail",
    ),
    "/accounts/password/reset/done/": ("Wir haben Ihnen eine E-Mail geschickt.",),
    "/accounts/password/reset/key/x-set-password/": (
        "Ungültiger Link",
        "fordern Sie einen neuen Link zum Zurücksetzen des Passworts an",
    ),
}

MEMBER_PAGES = {
    "/accounts/email/": (
        "E-Mail-Adressen",
        "Folgende E-Mail-Adressen sind mit Ihrem Konto verknüpft:",
        "Bestätigungs-E-Mail erneut senden",
    ),
    "/accounts/password/change/": ("Passwort ändern", "Aktuelles Passwort", "Neues Passwort"),
    "/accounts/2fa/": ("Zwei-Faktor-Authentifizierung", "Authenticator-App", "Aktivieren"),
    "/accounts/sessions/": ("Sitzungen", "Beginn", "Zuletzt aktiv", "Aktuell", "Abmelden"),
    "/accounts/reauthenticate/": ("Zugriff bestätigen", "Geben Sie Ihr Passwort ein:"),
    "/accounts/logout/": ("Abmelden", "Möchten Sie sich wirklich abmelden?"),
}


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_pages_before_sign_in_are_formal(client, path):
    assert_formal(german_page(client, path, follow=True), *ANONYMOUS_PAGES[path])


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_pages_of_the_account_area_are_formal(member_client, path):
    assert_formal(german_page(member_client, path), *MEMBER_PAGES[path])


def test_the_verification_code_page_after_sign_up_is_formal(client, account_mails):
    sign_up(client)

    text = german_page(client, "/accounts/confirm-email/")

    assert_formal(
        text,
        "Geben Sie den E-Mail-Bestätigungscode ein",
        "Wir haben einen Code an erika.meister@example.org gesendet.",
        "bitte geben Sie ihn bald ein",
    )


def test_the_totp_activation_page_is_formal(member_client):
    member_client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})

    text = german_page(member_client, "/accounts/2fa/totp/activate/")

    assert_formal(text, "Authenticator-App aktivieren", "scannen Sie den unten stehenden QR-Code")


def test_the_two_factor_step_of_the_sign_in_is_formal(client):
    staff = StaffFactory(name="Otto Verwalter", organisation_name="Geschäftsstelle")
    response = client.post("/accounts/login/", {"login": staff.email, "password": TEST_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"

    text = german_page(client, "/accounts/2fa/authenticate/")

    assert_formal(text, "Ihr Konto ist durch Zwei-Faktor-Authentifizierung geschützt.")


def test_form_errors_are_formal(client, member):
    wrong_password = client.post("/accounts/login/", {"login": member.email, "password": "falsch-falsch"})
    mismatch = sign_up(client, email="neu@example.org", password2="Etwas-Anderes-2026")
    client.force_login(member)
    wrong_current = client.post(
        "/accounts/password/change/",
        {"oldpassword": "falsch-falsch", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert_formal(
        visible_text(wrong_password.content.decode()),
        "Die E-Mail-Adresse und/oder das Passwort sind leider falsch.",
    )
    assert_formal(visible_text(mismatch.content.decode()), "Sie müssen zweimal dasselbe Passwort eingeben.")
    assert_formal(visible_text(wrong_current.content.decode()), "Bitte geben Sie Ihr aktuelles Passwort ein.")


def test_the_message_after_signing_out_is_formal(member_client):
    response = member_client.post("/accounts/logout/", follow=True)

    assert_formal(visible_text(response.content.decode()), "Sie haben sich abgemeldet.")


# --- Mails ----------------------------------------------------------------


def assert_formal_mail(mail, subject: str, *phrases: str) -> None:
    assert mail.subject == f"[Fachgruppe Handwerk] {subject}"
    assert informal_words(mail.subject) == []
    assert_formal(" ".join(mail.body.split()), *phrases)


def test_the_verification_mail_after_sign_up_is_formal(client, account_mails):
    sign_up(client)

    [mail] = account_mails()
    assert_formal_mail(
        mail,
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "Unten steht Ihr Bestätigungscode. Bitte geben Sie ihn in Ihrem geöffneten Browserfenster ein.",
        "Fachgruppe Handwerk der Offensive Mittelstand",
    )


def test_the_password_reset_mail_is_formal(client, member, account_mails):
    client.post("/accounts/password/reset/", {"email": member.email})

    [mail] = account_mails()
    assert_formal_mail(
        mail,
        "E-Mail zum Zurücksetzen des Passworts",
        "für Ihr Konto im Portal der Fachgruppe Handwerk wurde ein neues Passwort angefordert.",
        "Über diesen Link vergeben Sie ein neues Passwort.",
    )


def test_the_security_notification_after_a_password_change_is_formal(member_client, account_mails):
    member_client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    [mail] = account_mails()
    assert_formal_mail(
        mail,
        "Passwort geändert",
        "an Ihrem Konto wurde soeben Folgendes geändert:",
        "Ihr Passwort wurde geändert.",
        "Waren Sie das nicht, ändern Sie bitte sofort Ihr Passwort",
    )
    assert not mail.body.rstrip().endswith('"'), "allauth's German leaves a stray quotation mark"


def test_the_mail_to_the_owner_of_an_address_signed_up_again_is_formal(client, member, account_mails):
    sign_up(client, email=member.email)

    [mail] = account_mails()
    assert_formal_mail(mail, "Konto existiert bereits", "vielleicht Sie selbst", "Passwort vergessen?")


def _mail_templates() -> list[str]:
    """Every account and 2FA mail allauth can send (the portal's overrides take their place)."""
    root = Path(allauth.__file__).parent / "templates"
    return sorted(
        str(path.relative_to(root))
        for folder in ("account/email", "mfa/email")
        for path in (root / folder).glob("*.txt")
    )


@pytest.mark.parametrize("template", _mail_templates())
def test_every_account_mail_template_is_formal(template, member):
    context = {
        "user": member,
        "email": member.email,
        "code": "ABCD-EFGH",
        "activate_url": "http://testserver/accounts/confirm-email/key/",
        "password_reset_url": "http://testserver/accounts/password/reset/",
        "signup_url": "http://testserver/accounts/signup/",
        "username": "",
        "from_email": "alt@example.org",
        "to_email": member.email,
        "deleted_email": "alt@example.org",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
        "SITE_NAME": "Fachgruppe Handwerk",
        "current_site": {"name": "Fachgruppe Handwerk", "domain": "testserver"},
    }

    with translation.override("de"):
        text = render_to_string(template, context)

    assert text.strip()
    assert informal_words(text) == [], text


# --- The catalogue --------------------------------------------------------


PO_STRING = r'"(?:[^"\\]|\\.)*"'
PO_FIELD = re.compile(rf"^(msgctxt|msgid|msgid_plural) ((?:{PO_STRING}\n?)+)", re.MULTILINE)


def _allauth_german_entries():
    """(context, msgid, plural) of allauth's German catalogue used by account, mfa and usersessions.

    socialaccount, headless and the OpenID provider (idp) are not installed, so their
    strings never appear; a string shared with an installed app is kept.
    """
    po = Path(allauth.__file__).parent / "locale/de/LC_MESSAGES/django.po"
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        refs = " ".join(re.findall(r"^#: (.*)$", block, re.MULTILINE)).split()
        apps = {re.sub(r"^templates/", "", ref).split("/")[0] for ref in refs}
        if not apps & {"account", "mfa", "usersessions", "allauth"}:
            continue
        fields = {
            keyword: "".join(ast.literal_eval(part) for part in re.findall(PO_STRING, body))
            for keyword, body in PO_FIELD.findall(block)
        }
        if fields.get("msgid"):
            yield fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")


def _translated(context, msgid, plural) -> list[str]:
    if plural:
        if context:
            return [npgettext(context, msgid, plural, n) for n in (1, 2)]
        return [ngettext(msgid, plural, n) for n in (1, 2)]
    return [pgettext(context, msgid) if context else gettext(msgid)]


def test_no_string_of_the_installed_allauth_apps_is_informal_in_german():
    entries = list(_allauth_german_entries())
    assert len(entries) > 250, "the catalogue could not be read"

    with translation.override("de"):
        informal = {
            msgid: text
            for context, msgid, plural in entries
            for text in _translated(context, msgid, plural)
            if informal_words(text)
        }

    assert informal == {}
