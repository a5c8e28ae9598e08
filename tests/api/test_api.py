"""The read-only API: tokens (hashed, shown once, revocable), the rule book behind every endpoint,
cursor pagination, conditional answers and the rate limits."""

import hashlib

import pytest
from django.db import connection

from api import tokens
from api.models import ApiToken
from meetings import minutes
from tests.factories.groups import ThreadFactory
from tests.factories.meetings import AgendaItemFactory, HeldMeetingFactory, MeetingFactory
from tests.factories.projects import ProjectFactory, accepted

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_kept_only_as_its_hash(inner_member):
    token, secret = tokens.token_create(user=inner_member, name="Website")

    row = ApiToken.objects.get(pk=token.pk)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row.prefix)
    assert len(row.prefix) < len(secret) // 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert secret not in stored


def test_the_secret_is_shown_once_on_the_account_page(client, partner):
    client.force_login(partner)

    made = client.post("/profile/api-zugaenge/", {"name": "Kammer-Website"})
    secret = ApiToken.objects.get(user=partner)
    listed = client.get("/profile/api-zugaenge/")

    shown = made.content.decode()
    assert made.status_code == 200
    assert "fhp_" in shown
    assert secret.prefix in shown
    new_secret = shown.split('id="new-secret" type="text" value="')[1].split('"')[0]
    assert tokens.user_for_secret(new_secret) == partner
    assert new_secret not in listed.content.decode()
    assert secret.prefix in listed.content.decode()


def test_a_token_reads_what_its_owner_may_see(client, inner_member, inner):
    thread = ThreadFactory(space=inner, author=inner_member, title="Interne Runde")
    _token, secret = tokens.token_create(user=inner_member, name="Skript")

    response = client.get("/api/v1/threads", **_bearer(secret))

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == [thread.title]
    assert response.json()["items"][0]["space"]["slug"] == inner.slug


def test_a_revoked_token_reads_nothing(client, inner_member, inner):
    ThreadFactory(space=inner, author=inner_member)
    token, secret = tokens.token_create(user=inner_member, name="Skript")
    client.force_login(inner_member)
    revoked = client.post(f"/profile/api-zugaenge/{token.pk}/widerrufen/")
    client.logout()

    response = client.get("/api/v1/threads", **_bearer(secret))

    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_nobody_revokes_someone_elses_token(client, inner_member, partner):
    token, secret = tokens.token_create(user=inner_member, name="Skript")
    client.force_login(partner)

    response = client.post(f"/profile/api-zugaenge/{token.pk}/widerrufen/")

    assert response.status_code == 404
    assert tokens.user_for_secret(secret) == inner_member


def test_the_token_of_a_deactivated_account_reads_nothing(client, inner_member):
    _token, secret = tokens.token_create(user=inner_member, name="Skript")
    inner_member.is_active = False
    inner_member.save(update_fields=["is_active"])

    assert client.get("/api/v1/spaces", **_bearer(secret)).status_code == 401


def test_a_coordinators_token_stops_reading_when_their_totp_is_gone(client, coordinator):
    from allauth.mfa.models import Authenticator

    _token, secret = tokens.token_create(user=coordinator, name="Skript")
    before = client.get("/api/v1/spaces", **_bearer(secret)).status_code
    Authenticator.objects.filter(user=coordinator).delete()

    assert before == 200
    assert client.get("/api/v1/spaces", **_bearer(secret)).status_code == 401


def test_an_invalid_token_is_refused_even_where_the_public_may_read(client):
    response = client.get("/api/v1/projects", **_bearer("fhp_" + "x" * 43))

    assert response.status_code == 401


def test_personal_endpoints_need_a_token(client):
    for path in ("/api/v1/spaces", "/api/v1/threads", "/api/v1/documents", "/api/v1/action-items"):
        assert client.get(path).status_code == 401, path


def test_a_partner_token_does_not_open_an_inner_meeting(client, partner, inner):
    meeting = MeetingFactory(space=inner, title="Innere Sitzung")
    _token, secret = tokens.token_create(user=partner, name="Skript")

    detail = client.get(f"/api/v1/meetings/{meeting.pk}", **_bearer(secret))
    listed = client.get("/api/v1/meetings", **_bearer(secret))

    assert detail.status_code == 404
    assert "Innere Sitzung" not in listed.content.decode()


def test_a_meeting_carries_its_agenda_and_only_published_minutes(client, inner_member, coordinator, inner):
    meeting = HeldMeetingFactory(space=inner)
    item = AgendaItemFactory(meeting=meeting, title="Fachkräfte")
    minutes.decision_add(agenda_item=item, by=coordinator, text="Wir laden die Kammern ein.")
    minutes.action_item_add(meeting=meeting, by=coordinator, title="Einladung", assignees=[inner_member])
    _token, secret = tokens.token_create(user=coordinator, name="Skript")

    draft = client.get(f"/api/v1/meetings/{meeting.pk}", **_bearer(secret)).json()
    minutes.minutes_publish(meeting=meeting, by=coordinator)
    published = client.get(f"/api/v1/meetings/{meeting.pk}", **_bearer(secret)).json()

    assert [entry["title"] for entry in draft["agenda"]] == ["Fachkräfte"]
    assert draft["minutes"] is None
    assert draft["agenda"][0]["decisions"] == []
    assert published["minutes"] is not None
    assert published["agenda"][0]["decisions"] == [{"text": "Wir laden die Kammern ein."}]
    assert "video_url" not in published


def test_my_action_items(client, inner_member, coordinator, inner):
    meeting = HeldMeetingFactory(space=inner)
    minutes.action_item_add(
        meeting=meeting, by=coordinator, title="Bericht schreiben", assignees=[inner_member]
    )
    minutes.minutes_publish(meeting=meeting, by=coordinator)
    _token, secret = tokens.token_create(user=inner_member, name="Skript")

    items = client.get("/api/v1/action-items", **_bearer(secret)).json()["items"]

    assert [(item["title"], item["status"]) for item in items] == [("Bericht schreiben", "open")]


def test_the_showcase_pages_by_cursor_without_gaps_or_repeats(client, coordinator):
    made = [accepted(ProjectFactory(title=f"Projekt {n}"), by=coordinator) for n in range(5)]

    seen, cursor, pages = [], None, 0
    while True:
        response = client.get("/api/v1/projects", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        seen += [item["slug"] for item in response.json()["items"]]
        cursor, pages = response.json()["next"], pages + 1
        if cursor is None:
            break

    assert pages == 3
    assert sorted(seen) == sorted(project.slug for project in made)
    assert len(seen) == len(set(seen))


def test_a_changed_cursor_is_refused_with_a_reason(client, coordinator):
    for n in range(3):
        accepted(ProjectFactory(title=f"Projekt {n}"), by=coordinator)
    cursor = client.get("/api/v1/projects", {"limit": 1}).json()["next"]

    response = client.get("/api/v1/projects", {"limit": 1, "cursor": cursor[:-2] + "xx"})

    assert response.status_code == 400
    assert "Cursor" in response.json()["detail"]


def test_an_unknown_trade_is_refused_with_a_reason(client):
    response = client.get("/api/v1/projects", {"gewerk": "gibt-es-nicht"})

    assert response.status_code == 400
    assert "gewerk" in response.json()["detail"]


def test_an_unchanged_answer_is_304_and_a_change_gives_a_new_etag(client, coordinator):
    project = accepted(ProjectFactory(title="Praxistage"), by=coordinator)

    first = client.get("/api/v1/projects")
    again = client.get("/api/v1/projects", HTTP_IF_NONE_MATCH=first["ETag"])
    project.title = "Praxistage 2027"
    project.save(update_fields=["title", "updated_at"])
    changed = client.get("/api/v1/projects", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"]
    assert first["Last-Modified"]
    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_address_is_limited(client, settings, clear_cache):
    settings.API_REQUESTS_PER_MINUTE_PER_ADDRESS = 3

    answers = [client.get("/api/v1/information").status_code for _ in range(4)]
    refused = client.get("/api/v1/information")

    assert answers == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0
    assert "Anfragen" in refused.json()["detail"]


def test_without_the_cache_the_api_still_answers(client, settings, monkeypatch, clear_cache):
    import redis
    from django.core.cache import cache

    from portal import readcache

    def down(*_args, **_kwargs):
        raise redis.ConnectionError("Redis is down")

    settings.API_REQUESTS_PER_MINUTE_PER_ADDRESS = 1
    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    monkeypatch.setattr(readcache, "cached", lambda key: None)

    assert [client.get("/api/v1/information").status_code for _ in range(2)] == [200, 200]


def test_each_token_is_limited_on_its_own(client, settings, partner, inner_member, clear_cache):
    settings.API_REQUESTS_PER_MINUTE_PER_TOKEN = 2
    _one, first = tokens.token_create(user=partner, name="A")
    _two, second = tokens.token_create(user=inner_member, name="B")

    of_the_first = [client.get("/api/v1/spaces", **_bearer(first)).status_code for _ in range(3)]
    of_the_second = client.get("/api/v1/spaces", **_bearer(second)).status_code

    assert of_the_first == [200, 200, 429]
    assert of_the_second == 200


def test_head_answers_like_get_without_a_body(client):
    got, head = client.get("/api/v1/information"), client.head("/api/v1/information")

    assert head.status_code == 200
    assert head["ETag"] == got["ETag"]
    assert head.content == b""


def test_the_api_only_reads(client, partner):
    _token, secret = tokens.token_create(user=partner, name="Skript")

    response = client.post("/api/v1/spaces", {}, **_bearer(secret))

    assert response.status_code == 405


def test_the_reference_page_is_rendered_from_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json")
    page = client.get("/api/").content.decode()

    assert document.status_code == 200
    assert document.json()["openapi"].startswith("3.")
    for path in document.json()["paths"]:
        assert path in page
    assert "<script" not in page.split("</head>")[1]
    assert 'href="#schema-ProjectPage"' in page
    assert 'id="schema-ProjectPage"' in page


def test_the_reference_describes_each_endpoint_in_the_readers_language(client, settings):
    german = client.get("/api/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/api/").content.decode()

    assert "Modellprojekte des Schaufensters" in german
    assert "Die Aufgaben des Lesenden aus veröffentlichten Protokollen" in german
    assert "Model projects of the showcase" in english
    assert "Modellprojekte des Schaufensters" not in english


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/projects?limit=viele", 400),
        ("/api/v1/projects?limit=0", 200),
        ("/api/v1/meetings?cursor=kaputt", 400),
        ("/api/v1/meetings/99999999999999999999999", 404),
        ("/api/v1/projects/gibt-es-nicht", 404),
        ("/api/v1/information?gewerk=gibt-es-nicht", 400),
        ("/api/v1/action-items?status=erfunden", 401),
    ],
)
def test_bad_input_gets_a_clear_answer_never_a_server_error(client, path, status):
    response = client.get(path)

    assert response.status_code == status
    if status != 200:
        assert response.json()["detail"]


def test_the_api_root_points_to_the_document_and_the_reference(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["reference"] == "http://testserver/api/"
    assert client.get(body["openapi"]).json()["openapi"].startswith("3.")


@pytest.mark.parametrize("path", ["/api/v2/", "/api/v1/gibt-es-nicht", "/api/v1/projects/a/b", "/api/x"])
def test_an_unknown_address_under_the_api_answers_json(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Nicht gefunden."}


def test_an_unknown_page_elsewhere_is_still_the_html_page(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
