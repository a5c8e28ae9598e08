"""Writing help under Markdown fields: toolbar, hint, preview with and without JavaScript, "@" completion."""

import pytest

from groups import services
from groups.models import Membership, Thread
from groups.notify import mentioned_people
from meetings.models import Minutes
from tests import once
from tests.factories import UserFactory
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory
from tests.htmltree import parse
from tests.meetings.minutes_form import editor_fields
from tests.querycount import assert_constant_queries


def test_a_new_thread_offers_toolbar_hint_preview_and_names_to_mention(client, fachgruppe, partner):
    client.force_login(partner)

    page = parse(client.get(f"/spaces/{fachgruppe.slug}/threads/new/"))

    toolbar = page.one(data_markdown_toolbar=True)
    assert toolbar.has("hidden")  # shown by the script only, where its buttons work
    buttons = [button["data-markdown"] for button in toolbar.all("button")]
    assert buttons == ["bold", "italic", "heading", "list", "link"]
    area = page.one("textarea", id="id_body")
    assert area["data-mention-url"] == f"/spaces/{fachgruppe.slug}/mentions/"
    assert "@Jonas Feldmann" in page.one(id="id_body_helptext").text()
    preview = page.one("button", name="markdown_preview")
    assert preview["value"] == "body"
    assert preview["type"] == "submit"
    assert preview["data-hx-post"] == "/markdown/vorschau/"
    assert "**" in page.one(data_markdown_field=True).one("details").text()  # examples of the formatting


def test_enter_in_a_field_sends_the_form_not_the_preview_without_javascript(client, fachgruppe, partner):
    client.force_login(partner)

    page = parse(client.get(f"/spaces/{fachgruppe.slug}/threads/new/"))
    form = next(form for form in page.all("form") if form.one("textarea", id="id_body"))
    first_submit = next(b for b in form.all("button") if b.attrs.get("type", "submit") == "submit")

    # The browser sends the form through its first submit button when Enter is pressed in a field.
    assert "name" not in first_submit.attrs
    assert form.one("button", name="markdown_preview") is not first_submit


@pytest.mark.parametrize(
    "path",
    [
        "/spaces/{space}/documents/new/",
        "/fragen/neu/",
        "/profile/",
    ],
)
def test_markdown_fields_elsewhere_get_the_toolbar_but_names_only_where_mentions_notify(
    client, fachgruppe, partner, path
):
    client.force_login(partner)
    response = client.get(path.format(space=fachgruppe.slug))
    if response.status_code == 404:
        pytest.skip(f"{path} is not a page here")
    page = parse(response)
    assert not page.all("textarea", data_mention_url=True)
    if path != "/profile/":
        assert page.all(data_markdown_toolbar=True)


def test_preview_without_javascript_keeps_what_was_typed_and_creates_nothing(client, fachgruppe, partner):
    client.force_login(partner)
    fields = {
        "title": "Azubis gewinnen",
        "body": "## Ideen\n\n- **Praktika**\n- <script>alert(1)</script>Tage der offenen Tür",
        "markdown_preview": "body",
        **once.token(),
    }

    response = client.post(f"/spaces/{fachgruppe.slug}/threads/new/", fields)

    assert response.status_code == 200
    assert not Thread.objects.exists()
    page = parse(response)
    assert page.one("input", id="id_title")["value"] == "Azubis gewinnen"
    assert page.one("textarea", id="id_body").text().strip().startswith("## Ideen")
    shown = page.one(id="id_body_preview")
    assert shown.one("h2").text() == "Ideen"
    assert shown.one("strong").text() == "Praktika"
    assert not shown.all("script")
    assert not page.all(class_="alert-danger")  # a preview refuses nothing


def test_preview_without_javascript_also_works_with_a_field_still_empty(client, fachgruppe, partner):
    client.force_login(partner)
    response = client.post(
        f"/spaces/{fachgruppe.slug}/threads/new/",
        {"title": "", "body": "*Entwurf*", "markdown_preview": "body", **once.token()},
    )
    page = parse(response)
    assert page.one(id="id_body_preview").one("em").text() == "Entwurf"
    assert not page.all(class_="invalid-feedback")


def test_the_preview_endpoint_renders_with_the_sanitiser_of_a_save(client, partner):
    client.force_login(partner)

    response = client.post(
        "/markdown/vorschau/",
        {
            "markdown_preview": "item-3-discussion",
            "item-3-discussion": "[Link](javascript:alert(1)) **fett**",
        },
    )

    page = parse(response)
    assert page.one("strong").text() == "fett"
    assert "javascript:" not in response.content.decode()
    assert client.get("/markdown/vorschau/").status_code == 405


def test_the_preview_endpoint_is_for_signed_in_people(client):
    response = client.post("/markdown/vorschau/", {"markdown_preview": "body", "body": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_preview_in_the_minutes_editor_without_javascript_saves_everything_and_shows_it(
    client, fachgruppe, coordinator
):
    meeting = HeldMeetingFactory(space=fachgruppe)
    item = AgendaItemFactory(meeting=meeting, title="Ziele")
    client.force_login(coordinator)
    fields = editor_fields(client, meeting)
    fields["introduction"] = "Begrüßung durch die Koordination."
    fields[f"item-{item.pk}-discussion"] = "Das **Zwiebelmodell**."
    fields["markdown_preview"] = f"item-{item.pk}-discussion"

    response = client.post(f"/meetings/{meeting.pk}/minutes/", fields)

    assert response.status_code == 200
    assert Minutes.objects.get(meeting=meeting).introduction == "Begrüßung durch die Koordination."
    item.refresh_from_db()
    assert item.discussion == "Das **Zwiebelmodell**."
    page = parse(response)
    assert page.one(id=f"id_item-{item.pk}-discussion_preview").one("strong").text() == "Zwiebelmodell"


# --- Mentions ----------------------------------------------------------------


def _names(response) -> list[str]:
    return [person["name"] for person in response.json()["people"]]


def test_suggestions_name_only_people_inside_the_ring(client, fachgruppe, inner, partner, inner_member):
    inner_member.name = "Henrike Albers"
    inner_member.save(update_fields=["name"])
    partner.name = "Hendrik Ahrens"
    partner.save(update_fields=["name"])
    UserFactory(name="Henning Außen")  # in no space
    gone = UserFactory(name="Henrike Alt", is_active=False)
    Membership.objects.create(space=inner, user=gone)
    client.force_login(inner_member)

    assert _names(client.get(f"/spaces/{inner.slug}/mentions/?q=hen")) == []  # only oneself inside
    client.force_login(partner)
    assert _names(client.get(f"/spaces/{fachgruppe.slug}/mentions/?q=hen")) == ["Henrike Albers"]
    assert client.get(f"/spaces/{inner.slug}/mentions/?q=hen").status_code == 404


def test_suggestions_for_a_reply_come_from_the_ring_that_reads_the_thread(
    client, fachgruppe, inner, partner, inner_member, coordinator
):
    partner.name = "Paul Partner"
    partner.save(update_fields=["name"])
    # Names of their own: a random one such as "Paulina Häring" would be a rightful suggestion.
    for person, name in [(inner_member, "Ina Innen"), (coordinator, "Konrad Koordination")]:
        person.name = name
        person.save(update_fields=["name"])
    thread = ThreadFactory(space=inner, audience=inner)
    url = f"{thread.get_absolute_url()}mentions/?q=paul"
    client.force_login(inner_member)

    assert _names(client.get(url)) == []  # the partner cannot read the inner thread
    thread.audience = fachgruppe
    thread.save(update_fields=["audience"])
    assert _names(client.get(url)) == ["Paul Partner"]


def test_suggestions_take_a_constant_number_of_queries(client, fachgruppe, partner):
    client.force_login(partner)

    def grow():
        Membership.objects.create(space=fachgruppe, user=UserFactory(name="Maria Muster"))

    assert_constant_queries(client, f"/spaces/{fachgruppe.slug}/mentions/?q=ma", grow=grow)


def test_a_mention_in_brackets_and_the_old_form_both_notify(fachgruppe, partner, inner_member):
    inner_member.name = "Jonas Feldmann"
    inner_member.save(update_fields=["name"])
    other = UserFactory(name="Eva Ebert")
    Membership.objects.create(space=fachgruppe, user=other)

    assert mentioned_people("Was meint @[Jonas Feldmann]s Team?", ring=fachgruppe, author=partner) == [
        inner_member
    ]
    found = mentioned_people("@Eva Ebert und @Jonas Feldmann, bitte.", ring=fachgruppe, author=partner)
    assert sorted(p.pk for p in found) == sorted([other.pk, inner_member.pk])


def test_nobody_outside_the_ring_is_told_of_a_mention(fachgruppe, inner, partner, inner_member):
    partner.name = "Paul Partner"
    partner.save(update_fields=["name"])

    assert mentioned_people("@[Paul Partner] bitte", ring=inner, author=inner_member) == []
    thread = services.thread_create(space=inner, author=inner_member, title="Intern", body="@Paul Partner")
    assert thread.pk
