"""The operator's status: is the portal ready, and is its background work keeping up?

`/healthz` stays the cheap liveness check for load balancers. The status view
(`/status/`, JSON) and its Prometheus twin (`/status/metrics`) answer more for
monitoring: the database and the broker (the same checks as `/healthz`), the
age of the oldest event still waiting in the outbox, the last heartbeat of
Celery beat and the workers that answer a ping. Each has a threshold from the
settings; one that is crossed turns the status to 503.

Who may read it: signed-in staff, a request with `Authorization: Bearer
<STATUS_TOKEN>`, or a client address inside `STATUS_ALLOWED_NETWORKS`.
Everyone else gets the portal's 404, as for a page that does not exist.
"""

import hmac
import ipaddress
import logging
import time
from dataclasses import dataclass, field

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.utils import timezone

from portal import beat
from portal.celery import app as celery_app
from portal.health import check_broker, check_database
from portal.notifications.models import Delivery, Event

logger = logging.getLogger(__name__)

PING_TIMEOUT_SECONDS = 1.0


@dataclass
class Status:
    healthy: bool = True
    checks: dict[str, dict] = field(default_factory=dict)

    def record(self, name: str, *, ok: bool, **details) -> None:
        self.healthy &= ok
        self.checks[name] = {"status": "ok" if ok else "error", **details}


def may_read_status(request) -> bool:
    user = request.user
    # The operators' page: site staff by their account flag, no ring rule (tests/test_one_rule_book.py).
    if user.is_authenticated and user.is_staff:
        return True
    token = settings.STATUS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    if settings.STATUS_ALLOWED_NETWORKS:
        try:
            client = ipaddress.ip_address(get_adapter().get_client_ip(request))
        except ValueError:
            return False
        return any(client in network for network in settings.STATUS_ALLOWED_NETWORKS)
    return False


def portal_status() -> Status:
    status = Status()
    for name, check in (("database", check_database), ("broker", check_broker)):
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("status check failed", extra={"check": name, "error": repr(exc)})
            status.record(name, ok=False, error=exc.__class__.__name__)
        else:
            status.record(name, ok=True, ms=round((time.monotonic() - started) * 1000, 1))
    if status.checks["database"]["status"] == "ok":
        _outbox(status)
    _beat(status)
    _workers(status)
    return status


def _outbox(status: Status) -> None:
    oldest = (
        Event.objects.filter(state=Event.State.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    ).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    status.record(
        "outbox",
        ok=age <= settings.STATUS_MAX_OUTBOX_AGE,
        oldest_pending_seconds=round(age),
        pending=Event.objects.filter(state=Event.State.PENDING).count(),
        failed_deliveries=Delivery.objects.filter(status=Delivery.Status.FAILED).count(),
    )


def _beat(status: Status) -> None:
    heartbeat = beat.last_heartbeat()
    age = (timezone.now() - heartbeat).total_seconds() if heartbeat else None
    status.record(
        "beat",
        ok=age is not None and age <= settings.STATUS_MAX_BEAT_AGE,
        last_heartbeat=heartbeat.isoformat() if heartbeat else None,
        seconds_ago=round(age) if age is not None else None,
    )


def _workers(status: Status) -> None:
    try:
        replies = celery_app.control.ping(timeout=PING_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - a broker that cannot broadcast means no worker is seen
        logger.warning("worker ping failed", extra={"error": repr(exc)})
        replies = []
    names = sorted(name for reply in replies for name in reply)
    status.record("workers", ok=len(names) >= settings.STATUS_MIN_WORKERS, seen=names)


def prometheus_text(status: Status) -> str:
    """The status in Prometheus' text exposition format (version 0.0.4)."""
    checks = status.checks
    lines = [
        "# HELP portal_up Whether every status check passes (1) or not (0).",
        "# TYPE portal_up gauge",
        f"portal_up {int(status.healthy)}",
        "# HELP portal_check_ok Whether one status check passes.",
        "# TYPE portal_check_ok gauge",
    ]
    lines += [f'portal_check_ok{{check="{name}"}} {int(c["status"] == "ok")}' for name, c in checks.items()]
    outbox = checks.get("outbox", {})
    if "pending" in outbox:
        lines += [
            "# HELP portal_outbox_pending_events Events waiting in the outbox.",
            "# TYPE portal_outbox_pending_events gauge",
            f"portal_outbox_pending_events {outbox['pending']}",
            "# HELP portal_outbox_oldest_pending_seconds Age of the oldest waiting event.",
            "# TYPE portal_outbox_oldest_pending_seconds gauge",
            f"portal_outbox_oldest_pending_seconds {outbox['oldest_pending_seconds']}",
            "# HELP portal_deliveries_failed Mails that failed for good.",
            "# TYPE portal_deliveries_failed gauge",
            f"portal_deliveries_failed {outbox['failed_deliveries']}",
        ]
    if checks["beat"]["seconds_ago"] is not None:
        lines += [
            "# HELP portal_beat_heartbeat_seconds Seconds since Celery beat last ticked.",
            "# TYPE portal_beat_heartbeat_seconds gauge",
            f"portal_beat_heartbeat_seconds {checks['beat']['seconds_ago']}",
        ]
    lines += [
        "# HELP portal_workers_seen Celery workers that answered a ping.",
        "# TYPE portal_workers_seen gauge",
        f"portal_workers_seen {len(checks['workers']['seen'])}",
    ]
    return "\n".join(lines) + "\n"
