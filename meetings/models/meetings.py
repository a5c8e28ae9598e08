"""Meetings of a space and who takes part in them."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import RingItem
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class Meeting(RenderedMarkdown, RingItem):
    """A meeting of a space: Sitzung, Fachgruppentreffen, Erfahrungsaustausch or Schulung.

    A tentative meeting has only a period ("Oktober/November 2026") until a
    date poll fixes its start. `sequence` counts every change a calendar must
    pick up (iCalendar SEQUENCE).
    """

    markdown_fields = {"description": "description_html"}

    class Kind(models.TextChoices):
        SITZUNG = "sitzung", _("Sitzung")
        FACHGRUPPENTREFFEN = "fachgruppentreffen", _("Fachgruppentreffen")
        ERFAHRUNGSAUSTAUSCH = "erfahrungsaustausch", _("Erfahrungsaustausch")
        SCHULUNG = "schulung", _("Schulung")

    class Status(models.TextChoices):
        TENTATIVE = "tentative", _("Vorläufig")
        PLANNED = "planned", _("Geplant")
        CANCELLED = "cancelled", _("Abgesagt")
        HELD = "held", _("Stattgefunden")

    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=24, choices=Kind.choices, default=Kind.SITZUNG)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown"))
    description_html = html_field()
    starts_at = models.DateTimeField(_("Beginn"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    tentative_period = models.CharField(
        _("Vorgesehener Zeitraum"),
        max_length=100,
        blank=True,
        help_text=_("Für vorläufige Termine, z. B. „Oktober/November 2026“."),
    )
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    video_url = models.URLField(
        _("Link zur Videokonferenz"), blank=True, help_text=_("Nur für Teilnehmende sichtbar.")
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Für Schulungen: leer heißt unbegrenzt.")
    )
    registration_open = models.BooleanField(_("Anmeldung offen"), default=False)
    open_to_partners = models.BooleanField(
        _("Auch für Partner außerhalb des Raums"),
        default=False,
        help_text=_("Partner, die nicht Mitglied des Raums sind, können sich anmelden."),
    )
    agenda_published_at = models.DateTimeField(_("Tagesordnung veröffentlicht am"), null=True, blank=True)
    next_meeting = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="previous_meetings",
        verbose_name=_("Folgetermin"),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = pgettext_lazy("meetings", "Sitzungen")
        ordering = ["starts_at", "pk"]
        indexes = [
            # The list's two orders (upcoming ascending, past descending) and the calendar window.
            models.Index(fields=["starts_at", "id"], name="meeting_starts_id_idx"),
            # "Not yet over" (meetings.selectors._upcoming_rule) as a range condition.
            models.Index(Coalesce("ends_at", "starts_at"), name="meeting_until_idx"),
            models.Index(
                fields=["status"], condition=models.Q(status="tentative"), name="meeting_tentative_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("meetings:detail", pk=self.pk)


class Participant(models.Model):
    """Someone invited to a meeting: an account or an external guest, with their response and attendance."""

    class Response(models.TextChoices):
        INVITED = "invited", _("Eingeladen")
        ACCEPTED = "accepted", _("Zugesagt")
        DECLINED = "declined", pgettext_lazy("response to an invitation", "Abgesagt")
        EXCUSED = "excused", _("Entschuldigt")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
    )
    name = models.CharField(_("Name"), max_length=150, blank=True)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # A guest's language for mails (an account's comes from the account); empty: the portal's.
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    response = models.CharField(
        _("Rückmeldung"), max_length=16, choices=Response.choices, default=Response.INVITED
    )
    note = models.CharField(_("Anmerkung"), max_length=300, blank=True)
    attended = models.BooleanField(_("Anwesend"), null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participation_per_account",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~models.Q(email=""),
                name="one_participation_per_address",
            ),
        ]
        # The answers and attendance the dashboard counts per meeting, read from the index alone
        # (an index-only scan for a few months' meetings; reports.meeting_months).
        indexes = [
            models.Index(fields=["meeting", "response", "attended", "id"], name="participant_tally_idx")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_response_display()})"

    @property
    def display_name(self) -> str:
        return self.name or ((self.user.name or str(self.user)) if self.user_id else self.email)


class Registration(models.Model):
    """A place in a training or an experience exchange, or one on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Angemeldet")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("Storniert")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting} ({self.get_status_display()})"
