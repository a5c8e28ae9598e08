"""The environment of a bench that drives Django in its own process (test client, no gunicorn)."""

import os
import secrets

HOST = "127.0.0.1"


def use_in_process_settings(
    *, database: str, var_dir: str, settings: str = "portal.settings", **extra: str
) -> None:
    """Production-like settings (DEBUG off, mail kept in memory) on the PostgreSQL database `database`;
    `extra` adds or overrides variables (REDIS_URL, SITE_URL, ...)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{database}",
            "EMAIL_URL": "locmem://",
            "VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
