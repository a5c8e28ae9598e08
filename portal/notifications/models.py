"""The outbox (Event), what became of it per person and channel (Delivery), the
in-app notifications, people's preferences and the tokens of one-click unsubscribe.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.links import url_for
from portal.notifications import kinds
from portal.notifications.kinds import Channel


class Event(models.Model):
    """Something that happened, written in the same transaction as the change that caused it."""

    class Audience(models.TextChoices):
        RING = "ring", _("Alle im Kreis des Raums")
        NEWLY_REACHED = "newly_reached", _("Nur die neu erreichten Personen")
        COORDINATORS = "coordinators", _("Die Koordination des Raums")
        PEOPLE = "people", _("Bestimmte Personen")

    class State(models.TextChoices):
        PENDING = "pending", _("Wartet auf Zustellung")
        DISPATCHED = "dispatched", _("Verteilt")

    kind = models.CharField(max_length=kinds.MAX_LENGTH, validators=[kinds.KindValidator()])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    space = models.ForeignKey("groups.Space", on_delete=models.CASCADE, null=True, related_name="+")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    # For RING and NEWLY_REACHED: the ring reached; NEWLY_REACHED subtracts previous_ring.
    ring = models.ForeignKey("groups.Space", on_delete=models.CASCADE, null=True, related_name="+")
    previous_ring = models.ForeignKey("groups.Space", on_delete=models.CASCADE, null=True, related_name="+")
    recipient_ids = models.JSONField(default=list, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    subject_id = models.PositiveBigIntegerField(null=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # What the messages say, frozen at the time of the event (title, url, excerpt, ...).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="event_pending_idx")]

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk}"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class Delivery(models.Model):
    """One event for one person on one channel. The unique key is the idempotency key."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        SENDING = "sending", _("Wird verschickt")
        SENT = "sent", _("Verschickt")
        SKIPPED = "skipped", _("Übersprungen")
        FAILED = "failed", _("Fehlgeschlagen")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Failures of this very mail (not of the connection): bounded, see delivery.MAX_FAILURES.
    failures = models.PositiveSmallIntegerField(default=0)
    # A mail that failed waits until then before it is tried again.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user", "channel"], name="one_delivery_per_event_person_channel"
            )
        ]
        indexes = [
            models.Index(fields=["channel", "status"], name="delivery_queue_idx"),
            # The days the rollup has not counted yet (tallies.deliveries_by_month reads them raw).
            models.Index(fields=["created_at"], name="delivery_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user} ({self.channel})"


class Notification(models.Model):
    """An entry in a person's notification centre."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_notification_per_event_person")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            # The notification centre's order, one person at a time.
            models.Index(fields=["user", "-created_at", "-id"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.user}"

    @property
    def mark_read_url(self) -> str:
        return url_for("notifications:mark_read", pk=self.pk)


class Preference(models.Model):
    """A person's choice of channel for one kind of event, in one space or (space empty) everywhere."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=kinds.MAX_LENGTH, validators=[kinds.KindValidator()])
    space = models.ForeignKey(
        "groups.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("Einstellung")
        verbose_name_plural = _("Einstellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "space"], name="one_preference_per_kind_and_space"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(space__isnull=True),
                name="one_general_preference_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.channel}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class UnsubscribeToken(models.Model):
    """The opaque token in a mail's List-Unsubscribe link, for one person and one kind of mail.

    A link in a mail must keep working for the one-click POST of RFC 8058 long after the mail
    was sent, yet a mail forwarded or found in an archive must not change someone's settings
    forever. So a token:

    - carries the moment it was issued and is valid for VALID_FOR (a year) after that;
    - is handed to new mails for REISSUE_AFTER (a month) at most, then the next mail gets a
      fresh one: every mail's link therefore works for at least eleven months;
    - works once: using it stamps `used_at`, and mails after that carry a new token. A used
      link opened again changes nothing and says so, so a person who unsubscribed and later
      switched the mails back on cannot be unsubscribed again by an old mail;
    - is deleted KEPT_FOR (two years) after issue, when the person's next token is issued;
      until then an expired link is told apart from an unknown one.

    Two workers issuing at the same moment may create two current tokens for one person and
    kind; both are valid, which harms nothing.
    """

    VALID_FOR = timedelta(days=365)
    REISSUE_AFTER = timedelta(days=30)
    KEPT_FOR = timedelta(days=730)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # An event kind, or "digest_daily" / "digest_weekly".
    topic = models.CharField(max_length=40)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    issued_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "topic", "issued_at"], name="unsubscribe_token_issue_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.issued_at > self.VALID_FOR


class Mail(models.Model):
    """A mail to one address in the outbox (portal.notifications.outbox): account mails, invitations
    into a space, guests' invitations and changes, subscribers' confirmations and mailings.

    Either rendered by the caller (the account mails: subject, text, html, headers) or built by the
    worker from `params` with the builder registered for `template`. The request only writes this
    row; the worker claims, sends, notes the mail in the journal and clears the body (account mails
    hold codes and reset links); the outbox replay hands out what was lost.
    """

    # Delivery's states. SKIPPED without a recipient: an account mail rendered and written like a
    # real one so that the request costs the same, never sent (allauth's mail to an unknown
    # address); with one: a posted mail whose builder found nothing to send any more.
    Status = Delivery.Status

    template = models.CharField(max_length=100)
    # Posting the same key again is the same mail (outbox.post): the idempotency key.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # What the builder needs (ids, a sequence, the language); never codes or links.
    params = models.JSONField(default=dict, blank=True)
    recipient = models.EmailField(max_length=254, blank=True)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Failures of this very mail (not of the connection): bounded, see outbox.MAX_FAILURES.
    failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails")
        indexes = [models.Index(fields=["status", "created_at"], name="mail_queue_idx")]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient or '-'} ({self.status})"


class Unfollow(models.Model):
    """A person who no longer wants to hear of one thread or meeting of their ring: its events
    for the ring (new replies, changes) pass them by; what is addressed to them by name (a
    mention, an invitation, an agenda) still reaches them. Following again deletes the row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unfollowed")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Nicht mehr verfolgt")
        verbose_name_plural = _("Nicht mehr verfolgt")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject_type", "subject_id"], name="one_unfollow_per_person_and_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.subject_type_id}/{self.subject_id}"


class MailTally(models.Model):
    """How many mails of one template (and one subject, e.g. an information page) ended in a status
    on one day (Europe/Berlin): what the outbox deleted, counted in the same transaction
    (portal.notifications.tallies.delete_counted)."""

    template = models.CharField(max_length=100)
    # The id the template counts its mails by (outbox.register_builder's `count_by`), else 0.
    subject_id = models.PositiveBigIntegerField(default=0)
    day = models.DateField()
    status = models.CharField(max_length=16, choices=Delivery.Status.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Gezählte E-Mails")
        verbose_name_plural = _("Gezählte E-Mails")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "subject_id", "day", "status"], name="one_mail_tally_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.subject_id} {self.day} {self.status}: {self.count}"


class DeliveryDay(models.Model):
    """The deliveries about one space's events handed out on one day (Europe/Berlin, by the
    delivery's own time), counted once they have settled (portal.notifications.tallies.roll_up_deliveries)."""

    space = models.ForeignKey("groups.Space", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zustellungen eines Tages")
        verbose_name_plural = _("Zustellungen je Tag")
        constraints = [models.UniqueConstraint(fields=["space", "day"], name="one_delivery_day_per_space")]

    def __str__(self) -> str:
        return f"{self.space_id} {self.day}: {self.sent}/{self.total}"


class RollupMark(models.Model):
    """Up to which day (exclusive) a rollup has counted: the days before are read from it,
    the days after from the rows themselves."""

    name = models.CharField(max_length=40, unique=True)
    # None: nothing counted yet.
    complete_before = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} < {self.complete_before}"
