"""Statement timeouts: no database statement may hold a web worker for long.

Web processes (gunicorn, anything that loads `portal.wsgi`) open their
PostgreSQL connections with `statement_timeout` = `DATABASE_STATEMENT_TIMEOUT`
seconds; Celery workers, migrations and management commands never load
`portal.wsgi` and keep no limit. Searches run under a shorter one
(`SEARCH_STATEMENT_TIMEOUT`, `SET LOCAL` inside the search's own transaction).
A statement cancelled by either answers the "Bitte grenzen Sie die Suche ein"
page (portal.middleware.QueryTimeoutMiddleware), never a 500.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections, transaction

# SQLSTATE query_canceled: statement_timeout (and pg_cancel_backend) end a statement with it.
QUERY_CANCELED = "57014"


def limit_web_statements(*, alias: str = "default") -> None:
    """Gives every connection this process opens from now on the web's statement timeout.

    Set as a connection option (`-c statement_timeout=...`), so it costs no
    query; a connection already open is closed, to be reopened with it.
    """
    seconds = settings.DATABASE_STATEMENT_TIMEOUT
    wrapper = connections[alias]
    if wrapper.vendor != "postgresql" or not seconds:
        return
    options = wrapper.settings_dict.setdefault("OPTIONS", {})
    flag = f"-c statement_timeout={int(seconds * 1000)}"
    options["options"] = " ".join(part for part in (options.get("options", ""), flag) if part)
    wrapper.close()


@contextmanager
def statement_timeout(seconds: float, *, alias: str = "default") -> Iterator[None]:
    """Runs the block in a transaction whose statements may take at most `seconds` each (PostgreSQL;
    elsewhere just the transaction). Inside an outer transaction the previous limit is restored."""
    connection = connections[alias]
    nested = connection.in_atomic_block
    with transaction.atomic(using=alias):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                [f"{int(seconds * 1000)}ms"],
            )
            previous = cursor.fetchone()[0]
        yield
        if nested:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


def is_timeout(error: BaseException) -> bool:
    """Whether `error` is a statement cancelled by a statement timeout."""
    cause = error.__cause__ if isinstance(error, DatabaseError) else None
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED
