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
