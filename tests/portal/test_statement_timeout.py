"""A statement that runs too long answers a page that asks to narrow the search, never a 500; web
processes get a statement timeout, other processes none."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from meetings.views import search as meeting_search_view
from portal.db import statement_timeout
from projects import catalogue
from projects.models import Project

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's"),
]


def _current_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def _slow_catalogue(user, filters=None):
    """The catalogue with a statement that sleeps longer than the test's timeout allows."""
    return Project.objects.filter(RawSQL("(SELECT true FROM pg_sleep(0.5))", [], output_field=BooleanField()))


def test_a_search_that_runs_too_long_answers_the_narrow_it_down_page(client, settings, monkeypatch):
    settings.SEARCH_STATEMENT_TIMEOUT = 0.05
    monkeypatch.setattr(catalogue, "catalogue", _slow_catalogue)

    response = client.get("/projects/", {"q": "Ausbildung"})

    html = response.content.decode()
    assert response.status_code == 503
    assert "<h1>Bitte grenzen Sie die Suche ein</h1>" in html
    assert '<html lang="de"' in html  # the portal's layout, not a bare error
    assert response["Retry-After"] == "30"
    # The cancelled statement was rolled back with the search's transaction: the connection works on.
    assert Project.objects.count() == 0
    assert _current_timeout() == "0"


def test_a_slow_meeting_search_answers_the_same_page(client, settings, monkeypatch, partner):
    settings.SEARCH_STATEMENT_TIMEOUT = 0.05

    def slow_search(*, user, query):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
        return []

    monkeypatch.setattr(meeting_search_view, "search", slow_search)
    client.force_login(partner)

    response = client.get("/meetings/search/", {"q": "Ausbildung"})

    assert response.status_code == 503
    assert "Bitte grenzen Sie die Suche ein" in response.content.decode()


def test_the_same_slow_statement_without_a_search_timeout_finishes(client, monkeypatch):
    monkeypatch.setattr(catalogue, "catalogue", _slow_catalogue)

    assert client.get("/projects/").status_code == 200


def test_a_search_restores_the_limit_of_the_transaction_around_it():
    with statement_timeout(1.5):
        assert _current_timeout() == "1500ms"
    assert _current_timeout() == "0"


def test_web_processes_get_the_statement_timeout_and_management_commands_do_not():
    """Loading portal.wsgi (what gunicorn does) limits the connections it opens; this test process,
    like manage.py and Celery, has no limit."""
    assert _current_timeout() == "0"
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "EMAIL_URL": "locmem://",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DATABASE_STATEMENT_TIMEOUT": "4",
        "VAR_DIR": str(django_settings.VAR_DIR),
    }
    environment.pop("REDIS_URL", None)
    program = (
        "import portal.wsgi\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout')\n"
        "    print(cursor.fetchone()[0])\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", program],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "4s"
