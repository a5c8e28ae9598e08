import re

import pytest

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


def test_content_security_policy_allows_scripts_only_from_the_portal_and_by_nonce(client):
    response = client.get("/")

    policy = _policy(response)
    nonces = [value for value in policy["script-src"] if value.startswith("'nonce-")]
    assert len(nonces) == 1
    assert "'self'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_every_script_tag_carries_the_nonce_of_its_response(client):
    response = client.get("/")

    nonce = next(v for v in _policy(response)["script-src"] if v.startswith("'nonce-"))[7:-1]
    tags = SCRIPT_TAG.findall(response.content.decode())
    assert tags, "the layout loads its scripts"
    for tag in tags:
        assert f'nonce="{nonce}"' in tag


def test_each_response_gets_a_fresh_nonce(client):
    first = _policy(client.get("/"))["script-src"]
    second = _policy(client.get("/"))["script-src"]

    assert first != second


def test_login_page_has_the_same_policy(client):
    response = client.get("/accounts/login/")

    policy = _policy(response)
    assert response.status_code == 200
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_refuse_framing_and_keep_the_referrer_on_the_site(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_of_a_signed_in_person_are_not_stored(outsider_client):
    for url in ("/", "/accounts/email/"):
        response = outsider_client.get(url)

        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_anonymous_start_page_may_be_stored(client):
    response = client.get("/")

    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/projects/", "/healthz", "/static/css/portal.css"])
def test_every_response_switches_off_unused_browser_features_and_cross_site_embedding(client, path):
    response = client.get(path)

    policy = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert policy["camera"] == policy["microphone"] == policy["geolocation"] == "()"
    assert policy["browsing-topics"] == "()"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
