import email
import email.policy
import re

from portal.email import PortalEmail

UNSUBSCRIBE = "<https://portal.fachgruppe-handwerk.example.org/notifications/unsubscribe/AbCdEfGhIjKlMnOpQrStUvWxYz012345/>"


def test_a_long_list_unsubscribe_header_stays_a_readable_url():
    message = PortalEmail(
        subject="Neue Diskussion: Ausbildung",
        body="Text",
        to=["person@example.org"],
        headers={"List-Unsubscribe": UNSUBSCRIBE, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative("<p>Text</p>", "text/html")

    raw = message.message().as_bytes().decode()

    assert f"List-Unsubscribe: {UNSUBSCRIBE}\n" in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw


def test_a_subject_with_umlauts_is_folded_into_encoded_words_of_at_most_75_characters():
    subject = "Neue Information für Betriebe: Prüfung der Ausbildungsqualität im Bäckerhandwerk " * 2
    message = PortalEmail(
        subject=subject, body="Text", to=["person@example.org"], headers={"List-Unsubscribe": UNSUBSCRIBE}
    )

    raw = message.message().as_bytes().decode()

    headers = raw.split("\n\n", 1)[0]
    words = re.findall(r"=\?utf-8\?[qb]\?[^?]*\?=", headers, re.IGNORECASE)
    assert words, headers
    assert max(len(word) for word in words) <= 75
    assert all(len(line) <= 76 for line in headers.splitlines() if not line.startswith("List-Unsubscribe:"))
    assert f"List-Unsubscribe: {UNSUBSCRIBE}\n" in raw
    assert email.message_from_string(raw, policy=email.policy.default)["Subject"] == subject.strip()


def test_every_mail_has_a_message_id_on_the_portals_domain(settings):
    settings.SITE_URL = "https://portal.fachgruppe-handwerk.example.org"
    message = PortalEmail(subject="Bitte bestätigen Sie Ihr Abonnement", body="Text", to=["p@example.org"])

    first = message.message()["Message-ID"]

    assert first.endswith("@portal.fachgruppe-handwerk.example.org>")
    # The same message sent again (a retry) keeps its Message-ID.
    assert message.message()["Message-ID"] == first
