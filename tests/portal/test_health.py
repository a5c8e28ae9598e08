import socket
import threading

import pytest

from portal import health
from portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_url():
    """Points the Celery app at another broker for one test, and back afterwards.

    The app read its configuration at import, so overriding Django settings
    would not reach it; its own conf is the one place to change.
    """
    original = celery_app.conf.broker_url

    def point_at(url: str) -> None:
        celery_app.conf.broker_url = url

    yield point_at
    celery_app.conf.broker_url = original


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never answers, like a hung Redis."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stopping = threading.Event()

    def accept_forever():
        listener.settimeout(0.2)
        while not stopping.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stopping.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.redis
def test_healthz_reports_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_broker_when_nothing_listens(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "failing": ["broker"]}


def test_healthz_gives_up_on_a_broker_that_accepts_but_never_answers(
    client, broker_url, silent_server, monkeypatch
):
    monkeypatch.setattr(health, "BROKER_TIMEOUT_SECONDS", 0.5)
    broker_url(f"redis://127.0.0.1:{silent_server}/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


def test_healthz_tells_the_public_no_timings_and_no_error_texts(client, broker_url, caplog):
    broker_url("redis://127.0.0.1:1/0")

    with caplog.at_level("WARNING", logger="portal.health"):
        response = client.get("/healthz")

    content = response.content.decode()
    assert "ms" not in response.json()
    assert "Error" not in content
    assert "127.0.0.1" not in content
    [record] = [r for r in caplog.records if r.getMessage() == "health check failed"]
    assert record.check == "broker"
    assert record.ms >= 0


@pytest.mark.redis
def test_healthz_answers_head_like_get_without_a_body(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "application/json"


def test_healthz_accepts_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.generic("TRACE", "/healthz").status_code == 405
