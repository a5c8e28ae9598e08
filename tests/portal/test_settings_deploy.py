"""The production configuration, loaded the way an operator starts the portal: from the environment."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/13",
    "EMAIL_URL": "smtp+tls://user:pw@mail.example.org:587",
    "DEFAULT_FROM_EMAIL": "Fachgruppe Handwerk <portal@example.org>",
}

# Set by the test suite (tests/settings.py, tests/conftest.py) or by a developer's shell;
# none may leak into "production".
_PORTAL_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "HTTPS",
    "VAR_DIR",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
    "TRUSTED_PROXY_COUNT",
    "CSRF_TRUSTED_ORIGINS",
    "LEGAL_DIR",
    "MEDIA_ROOT",
    "LOG_LEVEL",
}


def _run(args: list[str], **overrides: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in _PORTAL_VARIABLES and not key.startswith("CELERY_")
    }
    environment.update(PRODUCTION_ENVIRONMENT, DJANGO_SETTINGS_MODULE="portal.settings", **overrides)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def production_settings() -> dict:
    script = """
import json
from portal import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SESSION_COOKIE_NAME": s.SESSION_COOKIE_NAME,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_NAME": s.CSRF_COOKIE_NAME,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "ENGINE": db["ENGINE"],
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": db["CONN_HEALTH_CHECKS"],
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "CACHE_BACKEND": s.CACHES["default"]["BACKEND"],
    "MAILER": s.MAILERS["default"],
    "DEFAULT_FROM_EMAIL": s.DEFAULT_FROM_EMAIL,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
}))
"""
    result = _run(["-c", script])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_passes_with_debug_off_and_real_values():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_when_https_is_switched_off():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], HTTPS="false")

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W012" in result.stderr  # session cookie not secure


def test_production_cookies_are_host_prefixed_and_secure(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True


def test_production_sends_hsts_for_a_year_with_subdomains_and_redirects_to_https(production_settings):
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True


def test_production_keeps_health_checked_database_connections(production_settings):
    assert production_settings["ENGINE"] == "portal.postgres"  # Django's, waiting for a restart
    assert production_settings["CONN_MAX_AGE"] > 0
    assert production_settings["CONN_HEALTH_CHECKS"] is True


def test_production_uses_redis_for_broker_and_cache_and_smtp_for_mail(production_settings):
    assert production_settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/13"
    # Django's Redis cache, keeping one client per connection pool (portal/cache.py).
    assert production_settings["CACHE_BACKEND"] == "portal.cache.RedisCache"
    assert production_settings["MAILER"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production_settings["MAILER"]["OPTIONS"]["host"] == "mail.example.org"
    assert production_settings["MAILER"]["OPTIONS"]["port"] == 587
    assert production_settings["MAILER"]["OPTIONS"]["use_tls"] is True
    assert production_settings["DEFAULT_FROM_EMAIL"] == "Fachgruppe Handwerk <portal@example.org>"
    assert production_settings["ALLOWED_HOSTS"] == ["portal.example.org"]


def test_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _run(["manage.py", "check"], SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_portal_refuses_to_start_without_a_mail_server_when_debug_is_off():
    result = _run(["manage.py", "check"], EMAIL_URL="")

    assert result.returncode != 0
    assert "EMAIL_URL must be set when DEBUG is off" in result.stderr


def test_error_reports_go_to_sentry_only_when_a_dsn_is_set():
    script = (
        "import json, sentry_sdk; from portal import settings; "
        "print(json.dumps(sentry_sdk.get_client().is_active()))"
    )

    assert _run(["-c", script]).stdout.strip() == "false"
    with_dsn = _run(["-c", script], SENTRY_DSN="http://public@127.0.0.1:9/1")
    assert with_dsn.stdout.strip() == "true", with_dsn.stderr


def test_an_invalid_status_network_stops_the_start():
    result = _run(["manage.py", "check"], STATUS_ALLOWED_NETWORKS="10.0.0.0/8,not-a-network")

    assert result.returncode != 0
    assert "not-a-network" in result.stderr
