"""Readiness of the parts the portal cannot work without: the database and the broker.

`/healthz` is polled by load balancers and process managers, which retry on
their own; each check therefore makes one attempt and bounds its own wait, so
a hung service turns into a 503 within seconds instead of a hung web worker.
"""

import logging
import time

from django.db import connection

from portal.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 3.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    timeout = BROKER_TIMEOUT_SECONDS
    with celery_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={"socket_timeout": timeout, "socket_connect_timeout": timeout},
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=timeout)
        # Opening a channel is a real round trip: Redis may accept a connection
        # before it answers commands (e.g. while loading its data).
        conn.default_channel.close()


CHECKS = {"database": check_database, "broker": check_broker}


def run_checks() -> list[str]:
    """The names of the checks that failed, in CHECKS' order; empty when all is well.

    What failed and how long each check took goes to the log, not to the public answer.
    """
    failing = []
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            failing.append(name)
            logger.warning(
                "health check failed",
                extra={
                    "check": name,
                    "error": repr(exc),
                    "ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
    return failing
