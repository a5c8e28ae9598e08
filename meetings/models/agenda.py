"""The agenda of a meeting and its minutes: per item the discussion, decisions and action items."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting
from portal.markdown import RenderedMarkdown, html_field


class AgendaItem(RenderedMarkdown, models.Model):
    markdown_fields = {"details": "details_html", "discussion": "discussion_html"}

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("Position"))
    title = models.CharField(_("Titel"), max_length=300)
    details = models.TextField(
        _("Unterpunkte"), blank=True, help_text=_("Markdown, z. B. eine Liste von Fragen.")
    )
    details_html = html_field()
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presenter_name = models.CharField(
        _("Vortragende Person"), max_length=150, blank=True, help_text=_("Für Gäste ohne Konto.")
    )
    duration_minutes = models.PositiveIntegerField(_("Dauer (Minuten)"), null=True, blank=True)
    question = models.ForeignKey(
        "groups.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("Vorgestelltes Projekt"),
    )
    # The minutes of this item: what was discussed (decisions and action items hang off the item).
    discussion = models.TextField(_("Diskussion"), blank=True, help_text=_("Markdown"))
    discussion_html = html_field()

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "position", "pk"]
        # The dashboard counts a few meetings' decisions through their items from the indexes alone
        # (reports.meeting_months).
        indexes = [models.Index(fields=["meeting", "id"], name="agenda_item_meeting_idx")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Minutes(RenderedMarkdown, models.Model):
    """The record (Protokoll) of a meeting: a draft for coordinators until it is published."""

    markdown_fields = {"introduction": "introduction_html"}

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("Veröffentlicht")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(_("Einleitung"), blank=True, help_text=_("Markdown"))
    introduction_html = html_field()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # "Genehmigt": the next meeting approved the published record (German Protokolle note the date).
    approved_on = models.DateField(_("Genehmigt am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counts the changes to what the published record shows (publishing, each correction, an
    # action item's status): the stored PDF of an older version is never served (meetings.pdf).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Protokoll")
        verbose_name_plural = _("Protokolle")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_status_display()})"


class MinutesRevision(models.Model):
    """The published minutes as they were before a later change (text of the whole record).

    The snapshot keeps the Markdown and its rendered HTML (`introduction_html`, per item
    `discussion_html`), so the history page renders nothing.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    snapshot = models.JSONField()
    # Why the published record was corrected; required for every correction since it was asked for.
    reason = models.TextField(_("Grund der Änderung"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.changed_at:%Y-%m-%d %H:%M})"


def _pdf_path(instance, filename: str) -> str:
    # Random like every stored file: only the minutes view, after the ring check, ever reads it.
    return f"minutes/{uuid.uuid4().hex}.pdf"


class MinutesPdf(models.Model):
    """The published minutes as a PDF, rendered once per version and language (meetings.pdf)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="pdfs")
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to=_pdf_path)
    rendered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["minutes", "version", "language"], name="one_pdf_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.version} ({self.language})"


class Decision(models.Model):
    """A decision (Beschluss) taken under an agenda item."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("Beschluss"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        ordering = ["agenda_item", "position", "pk"]
        indexes = [models.Index(fields=["agenda_item", "id"], name="decision_item_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    """Who does what by when ("Weiteres Vorgehen"); open ones reappear at the space's next meeting."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        IN_PROGRESS = "in_progress", _("In Arbeit")
        DONE = "done", _("Erledigt")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(_("Was"), max_length=300)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="action_items", verbose_name=_("Wer")
    )
    other_assignees = models.CharField(
        _("Weitere Verantwortliche"), max_length=300, blank=True, help_text=_("Namen von Gästen ohne Konto.")
    )
    due_date = models.DateField(_("Bis wann"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "pk"]
        # What the dashboard counts of a meeting's action items, read from the index alone.
        indexes = [
            models.Index(
                fields=["meeting", "status", "due_date", "done_at", "id"], name="action_item_tally_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee_names(self) -> str:
        """Who, as the minutes print it: the accounts (prefetch `assignees`), then the free names."""
        names = [person.name for person in self.assignees.all()]
        if self.other_assignees:
            names.append(self.other_assignees)
        return ", ".join(names)
