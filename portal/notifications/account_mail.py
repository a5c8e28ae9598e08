"""The account mails (allauth's verification codes, password resets, notices) through the outbox.

`record()` is what the account adapter calls instead of sending: it writes the
rendered mail and hands its id to a worker after the commit. `send()` runs in
the worker: the mail is claimed under a row lock, sent, noted in the journal
the moment it has left, marked sent and its body cleared (codes and reset
links are not kept). `recover()` is the beat replay's share: mails the broker
lost, claims of dead workers sorted by the journal, and old rows removed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.email import PortalEmail
from portal.notifications import events, journal
from portal.notifications.models import AccountMail

logger = logging.getLogger(__name__)

JOURNAL_NAMESPACE = "account_mail"
# A claimed mail not marked sent after this long belongs to a dead worker.
CLAIM_TIMEOUT = timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
# A pending mail older than this was not (or no longer) in the broker's queue.
REPLAY_AFTER = timedelta(seconds=60)
# Sent rows (without their bodies) are kept as long as the journal remembers them.
KEEP_SENT = timedelta(days=7)


def record(*, message: EmailMessage, template: str, deliver: bool = True) -> AccountMail:
    """Writes a rendered mail into the outbox; with `deliver=False` it is written and dropped unsent.

    The dropped kind keeps no address: it exists so that a request whose answer
    must not tell whether an address is known does the same work either way.
    """
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", ()) if mimetype == "text/html"), ""
    )
    mail = AccountMail.objects.create(
        template=template,
        recipient=message.to[0] if deliver else "",
        from_email=message.from_email,
        subject=message.subject,
        text=message.body,
        html=html,
        headers=dict(message.extra_headers),
        status=AccountMail.Status.PENDING if deliver else AccountMail.Status.SKIPPED,
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> bool:
    from portal.notifications.tasks import send_account_mail

    return events.enqueue(send_account_mail, mail_id=mail_id)


def send(mail_id: int) -> bool:
    """Sends one account mail if it is still pending; True when it went out now."""
    with transaction.atomic():
        mail = (
            AccountMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status__in=[AccountMail.Status.PENDING, AccountMail.Status.SKIPPED])
            .first()
        )
        if mail is None:
            return False
        if mail.status == AccountMail.Status.SKIPPED:
            mail.delete()
            return False
        AccountMail.objects.filter(pk=mail.pk).update(
            status=AccountMail.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    try:
        _message(mail).send()
    except Exception as exc:
        AccountMail.objects.filter(pk=mail.pk).update(
            status=AccountMail.Status.PENDING, last_error=repr(exc)[:2000]
        )
        raise
    journal.note_sent(mail.pk, namespace=JOURNAL_NAMESPACE)
    _mark_sent([mail.pk])
    return True


def _message(mail: AccountMail) -> PortalEmail:
    message = PortalEmail(
        subject=mail.subject,
        body=mail.text,
        from_email=mail.from_email,
        to=[mail.recipient],
        headers={**mail.headers, "Auto-Submitted": "auto-generated"},
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _mark_sent(mail_ids: list[int]) -> None:
    if mail_ids:
        AccountMail.objects.filter(pk__in=mail_ids).update(
            status=AccountMail.Status.SENT, sent_at=timezone.now(), text="", html=""
        )
        journal.forget(mail_ids, namespace=JOURNAL_NAMESPACE)


def recover() -> list[int]:
    """Puts dead workers' claims right and returns the ids of the mails to hand out again."""
    now = timezone.now()
    stale = list(
        AccountMail.objects.filter(
            status=AccountMail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
        ).values_list("pk", flat=True)
    )
    if stale:
        were_sent = journal.which_were_sent(stale, namespace=JOURNAL_NAMESPACE)
        _mark_sent(sorted(were_sent))
        AccountMail.objects.filter(pk__in=set(stale) - were_sent, status=AccountMail.Status.SENDING).update(
            status=AccountMail.Status.PENDING
        )
        logger.warning(
            "recovered account mails of a dead worker",
            extra={"sent": len(were_sent), "requeued": len(stale) - len(were_sent)},
        )
    AccountMail.objects.filter(status=AccountMail.Status.SKIPPED, created_at__lt=now - REPLAY_AFTER).delete()
    AccountMail.objects.filter(status=AccountMail.Status.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return list(
        AccountMail.objects.filter(status=AccountMail.Status.PENDING, created_at__lt=now - REPLAY_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
