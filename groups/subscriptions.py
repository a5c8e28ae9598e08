"""Public subscriptions to new information, without an account: double opt-in, mailing, unsubscribe.

An address is only ever mailed information after its owner clicked the
confirmation link (double opt-in, as German law requires for advertising-like
mail). Nothing here tells a visitor whether an address is already subscribed.
The unsubscribe link is the same in every mail of one subscription, so the one-click POST
(RFC 8058) of every mail ever sent keeps working while the subscription lasts; using it again
changes nothing. It is replaced when the address subscribes again after an unsubscribe, so the
old subscription's mails cannot end the new one. It needs no expiry: all it can ever do is end
the subscription it was sent for.
Every mail goes through the portal's outbox (portal.notifications.outbox):
each published page is posted once per subscriber (keyed by page and
subscriber) and built by the worker when it is sent, so someone who
unsubscribed in between gets nothing; the outbox's replay sends what a lost
broker message or a dead worker left behind, and the beat task here fans out
pages whose fan-out was lost.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups import access
from groups.models import InformationPage, Subscriber, Topic, Trade
from groups.selectors_subscriptions import CONFIRMATION_VALID_FOR, open_confirmation
from portal.email import PortalEmail
from portal.notifications import outbox
from portal.notifications.mail import list_id
from portal.notifications.models import Mail
from portal.salutation import salutation

logger = logging.getLogger(__name__)

# The same address gets at most one confirmation mail in this time, however often the form is sent.
CONFIRMATION_RESEND_AFTER = timedelta(minutes=10)
CONFIRMATION_MAIL = "groups/subscription_confirm"
PAGE_MAIL = "groups/information_published"
# Work older than this was not (or no longer) in the broker's queue: hand it out again.
RESUME_AFTER = timedelta(minutes=2)


def _url(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"token": token})


# --- Subscribing ---------------------------------------------------------


@transaction.atomic
def subscription_request(
    *,
    email: str,
    language: str,
    trades: list[Trade] | QuerySet = (),
    topics: list[Topic] | QuerySet = (),
) -> bool:
    """Asks the owner of `email` to confirm. True when a confirmation mail goes out.

    The caller shows the same answer either way: an address already confirmed,
    or one mailed a moment ago, gets nothing new, and nobody learns which.
    """
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=email.strip().lower(), defaults={"language": language}
    )
    now = timezone.now()
    if subscriber.is_active:
        return False
    if subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER:
        return False
    subscriber.language = language
    subscriber.confirmation_token = secrets.token_urlsafe(24)
    subscriber.confirmation_sent_at = now
    fields = ["language", "confirmation_token", "confirmation_sent_at"]
    if subscriber.unsubscribed_at is not None:
        # A new subscription after an unsubscribe gets a new unsubscribe link: the links in the
        # mails of the old one (forwarded, archived) cannot end the new one.
        subscriber.token = secrets.token_urlsafe(24)
        fields.append("token")
    subscriber.save(update_fields=fields)
    subscriber.trades.set(trades)
    subscriber.topics.set(topics)
    outbox.post(
        template=CONFIRMATION_MAIL,
        recipient=subscriber.email,
        params={"subscriber": subscriber.pk, "token": subscriber.confirmation_token},
        key=f"subscription-confirm:{subscriber.pk}:{subscriber.confirmation_token}",
    )
    return True


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber | None:
    """The second opt-in. The link works once; None for a used, expired or unknown one."""
    subscriber = open_confirmation(token)
    if subscriber is None:
        return None
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.confirmation_token = ""
    subscriber.save(update_fields=["confirmed_at", "unsubscribed_at", "confirmation_token"])
    return subscriber


@transaction.atomic
def subscription_cancel(*, subscriber: Subscriber) -> Subscriber:
    """No more mail. Repeating changes nothing; the first moment of unsubscribing stays recorded."""
    Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now(), confirmation_token=""
    )
    subscriber.refresh_from_db()
    return subscriber


def forget_unconfirmed() -> int:
    """Deletes addresses whose owner never confirmed: nothing is kept about people who did not agree."""
    forgotten = Subscriber.objects.filter(
        confirmed_at__isnull=True, created_at__lt=timezone.now() - CONFIRMATION_VALID_FOR
    )
    # Their confirmation mails in the outbox hold the address too.
    Mail.objects.filter(template=CONFIRMATION_MAIL, recipient__in=forgotten.values("email")).delete()
    deleted, _by_model = forgotten.delete()
    return deleted


def build_confirmation(mail: Mail) -> PortalEmail | None:
    """The outbox's builder: the confirmation link, while this very link is still the open one."""
    subscriber = (
        Subscriber.objects.filter(pk=mail.params["subscriber"], confirmation_token=mail.params["token"])
        .exclude(confirmation_token="")
        .first()
    )
    if subscriber is None:
        return None
    context = {
        "confirm_url": _url("information:confirm", subscriber.confirmation_token),
        "valid_days": CONFIRMATION_VALID_FOR.days,
    }
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        subject = _("Bitte bestätigen Sie Ihr Abonnement")
        return _message(subscriber, subject, "subscription_confirm", context, one_click=False)


# --- Mailing a published page --------------------------------------------


def matching_subscribers(page: InformationPage) -> QuerySet[Subscriber]:
    """Confirmed, active subscribers whose chosen trades and topics fit the page.

    No choice means "everything"; a page without trades (or topics) concerns
    every trade (or topic).
    """
    subscribers = Subscriber.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    for relation, field, ids in (
        (Subscriber.trades.through, "trade_id", list(page.trades.values_list("pk", flat=True))),
        (Subscriber.topics.through, "topic_id", list(page.topics.values_list("pk", flat=True))),
    ):
        if ids:
            chosen = relation.objects.filter(subscriber_id=OuterRef("pk"))
            subscribers = subscribers.filter(~Exists(chosen) | Exists(chosen.filter(**{f"{field}__in": ids})))
    return subscribers


def _page_key(page_id: int, subscriber_id: int) -> str:
    return f"information:{page_id}:{subscriber_id}"


def fan_out(page_id: int) -> list[list[int]]:
    """Posts one mail per matching subscriber, once; returns the pending ones in batches."""
    with transaction.atomic():
        page = (
            access.public_items(InformationPage.objects.select_for_update())
            .filter(pk=page_id, published_at__isnull=False)
            .first()
        )
        if page is None:
            return []
        if page.subscribers_fanned_out_at is None:
            outbox.post_many(
                [
                    Mail(
                        template=PAGE_MAIL,
                        recipient=email,
                        params={"page": page.pk, "subscriber": pk},
                        key=_page_key(page.pk, pk),
                    )
                    for pk, email in matching_subscribers(page).values_list("pk", "email")
                ]
            )
            page.subscribers_fanned_out_at = timezone.now()
            page.save(update_fields=["subscribers_fanned_out_at"])
    pending = list(
        Mail.objects.filter(key__startswith=_page_key(page_id, 0)[:-1], status=Mail.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [pending[i : i + outbox.BATCH_SIZE] for i in range(0, len(pending), outbox.BATCH_SIZE)]


def build_page_mail(mail: Mail) -> PortalEmail | None:
    """The outbox's builder: the published page, to a subscriber still subscribed."""
    subscriber = Subscriber.objects.filter(pk=mail.params["subscriber"]).first()
    page = (
        access.public_items(InformationPage.objects.all())
        .filter(pk=mail.params["page"], published_at__isnull=False)
        .first()
    )
    if subscriber is None or page is None or not subscriber.is_active:
        return None
    context = {"page": page, "page_url": settings.SITE_URL + page.get_absolute_url()}
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        subject = _("Neue Information für Betriebe: %(title)s") % {"title": page.title}
        return _message(subscriber, subject, "information_published", context, one_click=True)


def register_mails() -> None:
    outbox.register_builder(CONFIRMATION_MAIL, build_confirmation)
    outbox.register_builder(PAGE_MAIL, build_page_mail, count_by="page")


def _message(subscriber: Subscriber, subject: str, template: str, context: dict, *, one_click: bool):
    """A mail to a subscriber in their language; `template` names groups/email/<template>.txt and .html."""
    unsubscribe_url = _url("information:unsubscribe", subscriber.token)
    context = {
        **context,
        "salutation": salutation(),
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if one_click:
        headers |= {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The information mailing is a list of its own, apart from the members' notifications.
            "List-Id": list_id("informationen", "Informationen der Fachgruppe Handwerk"),
        }
    message = PortalEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(f"groups/email/{template}.txt", context),
        to=[subscriber.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"groups/email/{template}.html", context), "text/html")
    return message


def resumable() -> dict[str, list]:
    """What the beat task hands out again: pages never fanned out. Their mails, once posted, are
    the outbox's: its replay sends what is pending."""
    before = timezone.now() - RESUME_AFTER
    pages = list(
        access.public_items(InformationPage.objects.all())
        .filter(published_at__lt=before, subscribers_fanned_out_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return {"pages": pages}
