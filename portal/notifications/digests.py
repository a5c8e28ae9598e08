"""The daily and weekly digests: one mail per person with what their queue of that digest holds.

The queue is the person's pending Delivery rows of the channel (written by
delivery.dispatch). At send time every row is checked again with the ring
rules, because memberships change between the event and the digest: rows the
person may no longer see are skipped, never mailed. The rows are claimed
before the mail is built, noted in the journal once the single mail has left
and marked sent afterwards, so delivery.recover can tell a sent digest from
an unsent one after a worker died.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import access
from groups.models import Space
from portal.notifications import audience, journal, outbox
from portal.notifications.kinds import DIGEST_CHANNELS, Channel
from portal.notifications.mail import build_message, display_data, mail_domain, unsubscribe_tokens
from portal.notifications.models import Delivery

logger = logging.getLogger(__name__)

TOPICS = {Channel.DAILY: "digest_daily", Channel.WEEKLY: "digest_weekly"}


@dataclass
class Section:
    """The items of one space in a digest, newest first."""

    space: Space | None
    items: list[dict] = field(default_factory=list)
    # The person works in a circle inside this space: the digest invites them to take part here too.
    invite: bool = False


def due_user_ids(channel: Channel) -> list[int]:
    """The people whose queue of this digest holds something."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(f"{channel} is not a digest channel")
    return list(
        Delivery.objects.filter(channel=channel, status=Delivery.Status.PENDING)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def send_digest(*, channel: Channel, user_id: int) -> int:
    """Sends the person's digest of the channel; returns how many items it held (0: nothing sent)."""
    if channel not in DIGEST_CHANNELS:
        raise ValueError(f"{channel} is not a digest channel")
    batch = _claim(channel=channel, user_id=user_id)
    if not batch:
        return 0
    user = batch[0].user
    if not user.is_active or not audience.verified_ids({user.pk}):
        _finish(batch, status=Delivery.Status.SKIPPED, reason="no verified address")
        return 0
    visible = _still_visible(batch, user)
    hidden = [d for d in batch if d.pk not in visible]
    if hidden:
        _finish(hidden, status=Delivery.Status.SKIPPED, reason="no longer visible to the recipient")
    kept = [d for d in batch if d.pk in visible]
    if not kept:
        return 0
    try:
        message = _digest_message(channel=channel, user=user, deliveries=kept)
        with outbox.connection() as connection:
            connection.send_messages([message])
    except Exception as exc:
        # Back into the queue: the task's retry, or else the next digest run, sends them.
        Delivery.objects.filter(pk__in=[d.pk for d in kept]).update(
            status=Delivery.Status.PENDING, last_error=repr(exc)[:2000]
        )
        raise
    # The one mail carries every row: note them all before anything else can fail.
    for delivery in kept:
        journal.note_sent(delivery.pk)
    _finish(kept, status=Delivery.Status.SENT)
    return len(kept)


def _claim(*, channel: Channel, user_id: int) -> list[Delivery]:
    with transaction.atomic():
        batch = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user_id=user_id, channel=channel, status=Delivery.Status.PENDING)
            .select_related("user", "user__profile", "event", "event__space", "event__actor")
            .order_by("-event__created_at", "-pk")
        )
        Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return batch


def _finish(deliveries: list[Delivery], *, status: str, reason: str = "") -> None:
    ids = [d.pk for d in deliveries]
    if status == Delivery.Status.SENT:
        Delivery.objects.filter(pk__in=ids).update(status=status, sent_at=timezone.now())
        journal.forget(ids)
    else:
        Delivery.objects.filter(pk__in=ids).update(status=status, last_error=reason)


def _still_visible(deliveries: list[Delivery], user) -> set[int]:
    """The rows whose event the person may still see: the notification centre's rule
    (audience.still_visible), in one query for the whole digest beside the rings and coordination."""
    subject_types = {delivery.event.subject_type_id for delivery in deliveries}
    rule = audience.still_visible(user, subject_type_ids=subject_types, prefix="event__")
    return set(
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).filter(rule).values_list("pk", flat=True)
    )


def _sections(deliveries: list[Delivery], user) -> list[Section]:
    """The items grouped by space (spaces in name order, items newest first)."""
    by_space: dict[int | None, Section] = {}
    for delivery in deliveries:
        event = delivery.event
        section = by_space.setdefault(event.space_id, Section(space=event.space))
        data = display_data(event)
        section.items.append(
            {
                "kind": event.kind_label,
                "happened": data["happened"],
                "title": data.get("title", ""),
                "actor": data.get("actor") or (event.actor.name if event.actor else ""),
                "excerpt": data.get("excerpt", ""),
                "url": data.get("url", ""),
                "created_at": event.created_at,
            }
        )
    inviting = _spaces_around_the_persons_circles(user)
    for section in by_space.values():
        section.invite = section.space is not None and section.space.pk in inviting
    return sorted(by_space.values(), key=lambda s: (s.space is None, s.space.name if s.space else ""))


def _spaces_around_the_persons_circles(user) -> set[int]:
    """Spaces around a circle the person is a member of, which they do not coordinate themselves:
    an inner member reading the Fachgruppe's activity is invited to take part there too."""
    return access.spaces_around_own_circles(user) - access.coordinated_space_ids(user)


def _digest_message(*, channel: Channel, user, deliveries: list[Delivery]):
    token = unsubscribe_tokens({user.pk}, TOPICS[channel])[user.pk]
    count = len(deliveries)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        if channel == Channel.DAILY:
            subject = ngettext(
                "Ihr täglicher Überblick: %(count)d Neuigkeit",
                "Ihr täglicher Überblick: %(count)d Neuigkeiten",
                count,
            ) % {"count": count}
            heading = _("Neu seit Ihrem letzten täglichen Überblick")
        else:
            subject = ngettext(
                "Ihr wöchentlicher Überblick: %(count)d Neuigkeit",
                "Ihr wöchentlicher Überblick: %(count)d Neuigkeiten",
                count,
            ) % {"count": count}
            heading = _("Neu seit Ihrem letzten wöchentlichen Überblick")
        # Built in the person's language: display_data puts coded values into words.
        sections = _sections(deliveries, user)
    return build_message(
        user=user,
        subject=subject,
        template="digest",
        context={"heading": heading, "sections": sections, "count": count},
        unsubscribe_token=token,
        # The newest row names the digest: a digest sent again after a crash keeps its Message-ID.
        message_id=f"<digest-{channel}-{user.pk}-{deliveries[0].pk}@{mail_domain()}>",
    )
