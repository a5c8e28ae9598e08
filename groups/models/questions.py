"""Questions brought to a space by partners (e.g. another working group), and their triage states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models.discussions import Thread
from groups.models.people import Topic, Trade, User
from groups.models.spaces import RingItem
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class Question(RenderedMarkdown, RingItem):
    """A craft-specific question. Its asker always sees it, also from outside the ring (groups.access)."""

    markdown_fields = {"body": "body_html"}

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Eingereicht")
        ACCEPTED = "accepted", _("In Bearbeitung")
        DECLINED = "declined", _("Abgelehnt")
        MERGED = "merged", _("Zusammengeführt")
        ANSWERED = "answered", _("Beantwortet")

    title = models.CharField(_("Frage in einem Satz"), max_length=200)
    body = models.TextField(_("Hintergrund und Einzelheiten"), help_text=_("Markdown"))
    body_html = html_field()
    working_group = models.CharField(
        _("Arbeitsgruppe oder Organisation"),
        max_length=200,
        blank=True,
        help_text=_("Für wen Sie fragen, z. B. „AG Transfer“."),
    )
    trades = models.ManyToManyField(Trade, blank=True, related_name="questions", verbose_name=_("Gewerke"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="questions", verbose_name=_("Themen"))
    asked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="questions_asked",
        verbose_name=_("Gestellt von"),
    )
    created_at = models.DateTimeField(_("Gestellt am"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    assignee = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_assigned",
        verbose_name=_("Zuständig"),
    )
    thread = models.OneToOneField(
        Thread,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="question",
        verbose_name=_("Diskussion"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_questions",
        verbose_name=_("Zusammengeführt mit"),
    )
    decline_reason = models.TextField(_("Begründung der Ablehnung"), blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entschieden von"),
    )
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    answered_at = models.DateTimeField(_("Beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("questions:detail", pk=self.pk)
