"""The one mail path: every mail the portal sends leaves from here, from a worker.

Two kinds of rows feed it. Notifications and digests are Deliveries of an
Event (delivery.py, digests.py), to accounts, by their preferences. Every other
mail is a `Mail` row to one address, written in the caller's transaction:

- `post(template=..., recipient=..., params=..., key=...)`: the worker builds
  the mail with the builder registered for `template` (`register_builder`,
  from the owning app's AppConfig.ready), when it sends it, so the mail says
  what is true then; a builder that returns None (the guest was removed, the
  subscriber left, a newer change has its own mail) skips it;
- `record(message=..., template=...)`: a mail the caller rendered (allauth's
  account mails, whose codes and links exist only in the request).

A `key` makes posting idempotent: a second post with the same key is the
first mail, not a second one. After the commit the mail's id is handed to
Celery through events.enqueue (the broker's circuit breaker); when the broker
is away the beat replay (`recover`) hands out what is still pending after
REPLAY_AFTER. The worker claims a mail under a row lock, sends it, notes it in
the journal the moment it has left (its row marked sent and its body cleared,
committed at once, and a note in Redis); a dead worker's claims are sorted by
the journal. Nothing is ever sent inside
a request, and no module outside this one opens a mail connection
(tests/notifications/test_one_mail_path.py).
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone, translation

from portal.celery import named_task
from portal.email import PortalEmail
from portal.notifications import events, journal, tallies
from portal.notifications.models import Mail

logger = logging.getLogger(__name__)

# The table's name before it carried every addressed mail: notes written then still count.
JOURNAL_NAMESPACE = "account_mail"
# A claimed mail not marked sent after this long belongs to a dead worker.
CLAIM_TIMEOUT = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
# A pending mail older than this was not (or no longer) in the broker's queue.
REPLAY_AFTER = timedelta(seconds=60)
# Sent rows (without their bodies) are kept as long as the journal remembers them, then counted
# (tallies.delete_counted).
KEEP_SENT = timedelta(days=7)
# A mail that fails this often (not its connection) is given up and left for staff to see for
# KEEP_FAILED, then counted and deleted like a sent one.
MAX_FAILURES = 5
KEEP_FAILED = timedelta(days=30)
BATCH_SIZE = 200

_BUILDERS: dict[str, Callable[[Mail], EmailMessage | None]] = {}


def register_builder(
    template: str, build: Callable[[Mail], EmailMessage | None], *, count_by: str | None = None
) -> None:
    """`build(mail)` returns the message for a posted mail (its `params`), or None to skip it.

    `count_by` names the parameter (an id) whose mails are counted together once deleted
    (portal.notifications.tallies): a mailing's page, for instance."""
    _BUILDERS[template] = build
    if count_by is not None:
        tallies.count_by(template, count_by)


def connection():
    """The mail connection, as a context manager; the only one the portal opens."""
    return django_mail.mailers.default


# --- Writing ------------------------------------------------------------


def post(*, template: str, recipient: str, params: dict | None = None, key: str | None = None) -> Mail:
    """Puts a mail into the outbox, built by the worker; the same `key` twice is one mail."""
    params = {"language": translation.get_language(), **(params or {})}
    if key is not None:
        known = Mail.objects.filter(key=key).first()
        if known is not None:
            return known
    try:
        with transaction.atomic():
            mail = Mail.objects.create(template=template, recipient=recipient, params=params, key=key)
    except IntegrityError:
        if key is None:
            raise
        return Mail.objects.get(key=key)
    transaction.on_commit(lambda: _enqueue([mail.pk]))
    return mail


def post_many(mails: list[Mail]) -> None:
    """Many unsaved, keyed mails at once (a fan-out in a worker); those whose key exists are left out.
    The caller hands out the ids itself (`enqueue`), in batches."""
    Mail.objects.bulk_create(mails, batch_size=1000, ignore_conflicts=True)


def record(*, message: EmailMessage, template: str, deliver: bool = True) -> Mail:
    """Writes a rendered mail into the outbox; with `deliver=False` it is written and dropped unsent.

    The dropped kind keeps no address: it exists so that a request whose answer
    must not tell whether an address is known does the same work either way.
    """
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", ()) if mimetype == "text/html"), ""
    )
    mail = Mail.objects.create(
        template=template,
        recipient=message.to[0] if deliver else "",
        from_email=message.from_email,
        subject=message.subject,
        text=message.body,
        html=html,
        headers=dict(message.extra_headers),
        status=Mail.Status.PENDING if deliver else Mail.Status.SKIPPED,
    )
    transaction.on_commit(lambda: _enqueue([mail.pk]))
    return mail


def enqueue(mail_ids: list[int]) -> None:
    """Hands mails to the workers in batches; what the broker does not take, the replay will."""
    for start in range(0, len(mail_ids), BATCH_SIZE):
        _enqueue(mail_ids[start : start + BATCH_SIZE])


def _enqueue(mail_ids: list[int]) -> bool:
    return events.enqueue(named_task("notifications.send_mails"), mail_ids=mail_ids)


# --- Sending (the worker) -------------------------------------------------


def send(mail_id: int) -> bool:
    """Sends one mail if it is still pending; True when it went out now."""
    return send_mails([mail_id]) == 1


def send_mails(mail_ids: list[int]) -> int:
    """Sends the given mails that are still pending, over one connection; returns how many went out.

    A mail the server refuses for its address is failed for good; one that cannot
    be built goes back to pending and counts a failure (MAX_FAILURES). A lost
    connection stops the batch: the untried go back to pending and the error is
    raised for the task's retry.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=mail_ids)
            .filter(Q(status=Mail.Status.PENDING) | Q(status=Mail.Status.SKIPPED, recipient=""))
            .order_by("pk")
        )
        decoys = [mail.pk for mail in batch if mail.status == Mail.Status.SKIPPED]  # account mails' decoys
        if decoys:
            Mail.objects.filter(pk__in=decoys).delete()
        batch = [mail for mail in batch if mail.status == Mail.Status.PENDING]
        Mail.objects.filter(pk__in=[mail.pk for mail in batch]).update(
            status=Mail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    if not batch:
        return 0
    sent: list[int] = []
    skipped: list[int] = []
    refused: dict[int, Exception] = {}
    failed: dict[int, Exception] = {}
    try:
        notebook = journal.Notebook(
            namespace=JOURNAL_NAMESPACE,
            rows=Mail.objects.filter(status=Mail.Status.SENDING),
            sent={"status": Mail.Status.SENT, "sent_at": Now(), "text": "", "html": ""},
        )
        with connection() as mail_connection, notebook:
            for mail in batch:
                try:
                    message = _message(mail)
                    if message is None:
                        skipped.append(mail.pk)
                        continue
                    mail_connection.send_messages([message])
                except smtplib.SMTPRecipientsRefused as exc:
                    refused[mail.pk] = exc
                    continue
                except Exception as exc:
                    failed[mail.pk] = exc
                    if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
                        raise
                    continue
                # Counted before the journal is written: when Redis fails the note, the mail has left.
                sent.append(mail.pk)
                notebook.note(mail.pk)
    finally:
        done = set(sent) | set(skipped) | set(refused) | set(failed)
        untried = [mail.pk for mail in batch if mail.pk not in done]
        if untried:
            Mail.objects.filter(pk__in=untried).update(status=Mail.Status.PENDING)
        if skipped:
            Mail.objects.filter(pk__in=skipped).update(status=Mail.Status.SKIPPED, text="", html="")
        for pk, exc in refused.items():
            Mail.objects.filter(pk=pk).update(status=Mail.Status.FAILED, last_error=repr(exc)[:2000])
        _note_failures([mail for mail in batch if mail.pk in failed], failed)
        _mark_sent(sent)
    if failed and not sent and len(batch) == 1:
        # One mail alone (an account mail's task): its error goes up to the task's retry.
        raise next(iter(failed.values()))
    return len(sent)


def _note_failures(mails: list[Mail], errors: dict[int, Exception]) -> None:
    for mail in mails:
        failures = mail.failures + 1
        error = repr(errors[mail.pk])[:2000]
        status = Mail.Status.FAILED if failures >= MAX_FAILURES else Mail.Status.PENDING
        Mail.objects.filter(pk=mail.pk).update(status=status, failures=failures, last_error=error)
        log = logger.error if status == Mail.Status.FAILED else logger.warning
        log("mail failed", extra={"mail": mail.pk, "template": mail.template, "error": error})


def _message(mail: Mail) -> EmailMessage | None:
    if mail.template in _BUILDERS and not mail.subject:
        with translation.override(mail.params.get("language") or None):
            message = _BUILDERS[mail.template](mail)
        if message is None:
            return None
    else:
        message = PortalEmail(
            subject=mail.subject,
            body=mail.text,
            from_email=mail.from_email,
            to=[mail.recipient],
            headers={**mail.headers, "Auto-Submitted": "auto-generated"},
        )
        if mail.html:
            message.attach_alternative(mail.html, "text/html")
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        from portal.notifications.mail import mail_domain

        message.extra_headers["Message-ID"] = f"<mail-{mail.pk}@{mail_domain()}>"
    return message


def _mark_sent(mail_ids: list[int]) -> None:
    if mail_ids:
        Mail.objects.filter(pk__in=mail_ids).update(
            status=Mail.Status.SENT, sent_at=timezone.now(), text="", html=""
        )
        journal.forget(mail_ids, namespace=JOURNAL_NAMESPACE)


# --- The replay (beat) ------------------------------------------------------


def recover() -> list[int]:
    """Puts dead workers' claims right and returns the ids of the mails to hand out again."""
    now = timezone.now()
    stale = list(
        Mail.objects.filter(status=Mail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).values_list(
            "pk", flat=True
        )
    )
    if stale:
        were_sent = journal.which_were_sent(stale, namespace=JOURNAL_NAMESPACE)
        _mark_sent(sorted(were_sent))
        Mail.objects.filter(pk__in=set(stale) - were_sent, status=Mail.Status.SENDING).update(
            status=Mail.Status.PENDING
        )
        logger.warning(
            "recovered mails of a dead worker",
            extra={"sent": len(were_sent), "requeued": len(stale) - len(were_sent)},
        )
    # The dropped decoys of the account mails (no address); skipped posted mails stay on record.
    Mail.objects.filter(status=Mail.Status.SKIPPED, recipient="", created_at__lt=now - REPLAY_AFTER).delete()
    # Counted as they go: the dashboard and the activity report still show how many went out.
    tallies.delete_counted(Mail.objects.filter(status=Mail.Status.SENT, sent_at__lt=now - KEEP_SENT))
    tallies.delete_counted(Mail.objects.filter(status=Mail.Status.SKIPPED, created_at__lt=now - KEEP_SENT))
    tallies.delete_counted(Mail.objects.filter(status=Mail.Status.FAILED, created_at__lt=now - KEEP_FAILED))
    return list(
        Mail.objects.filter(status=Mail.Status.PENDING, created_at__lt=now - REPLAY_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
