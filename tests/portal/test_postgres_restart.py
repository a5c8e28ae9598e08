"""A PostgreSQL restart costs the web a slow answer, not an error page (portal/postgres)."""

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql import base

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def restarting(monkeypatch):
    """The server refuses the next `n` connections as a restarting PostgreSQL does."""
    real = base.DatabaseWrapper.get_new_connection
    refusals = {"left": 0, "seen": 0}

    def get_new_connection(self, conn_params):
        if refusals["left"]:
            refusals["left"] -= 1
            refusals["seen"] += 1
            raise base.Database.OperationalError("FATAL:  the database system is starting up")
        return real(self, conn_params)

    monkeypatch.setattr(base.DatabaseWrapper, "get_new_connection", get_new_connection)

    def refuse(n: int) -> dict:
        refusals["left"] = n
        return refusals

    return refuse


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_waits_for_the_database_to_come_back(restarting, client, fachgruppe):
    refusals = restarting(3)
    connection.close()

    response = client.get("/informationen/")

    assert response.status_code == 200
    assert refusals["seen"] == 3


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_away_fails_after_the_retry_time(restarting, settings):
    settings.DATABASE_CONNECT_RETRY = 0.5
    restarting(1000)
    connection.close()

    with pytest.raises(OperationalError, match="starting up"):
        connection.ensure_connection()
