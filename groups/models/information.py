"""Information for craft businesses (the public ring's main content) and its e-mail subscribers."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models.people import Topic, Trade, User
from groups.models.questions import Question
from groups.models.spaces import RingItem
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class InformationPage(RenderedMarkdown, RingItem):
    """A topic page. A draft's audience is its home space; publishing makes it public (audience None)."""

    markdown_fields = {"body": "body_html"}

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    summary = models.CharField(
        _("Kurzfassung"), max_length=300, help_text=_("Ein bis zwei Sätze für Übersichten, Feed und E-Mail.")
    )
    body = models.TextField(_("Text"), help_text=_("Markdown"))
    body_html = html_field()
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="information_pages", verbose_name=_("Gewerke")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="information_pages", verbose_name=_("Themen")
    )
    source_question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="information_pages",
        verbose_name=_("Beantwortet die Frage"),
    )
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("Veröffentlicht am"), null=True, blank=True, db_index=True)
    # Set once every matching subscriber has a delivery row, so the replay knows the fan-out is done.
    subscribers_fanned_out_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Information")
        verbose_name_plural = _("Informationen")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("information:detail", slug=self.slug)


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """An address that receives new information by e-mail, without an account, after double opt-in."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    trades = models.ManyToManyField(Trade, blank=True, related_name="subscribers", verbose_name=_("Gewerke"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers", verbose_name=_("Themen"))
    # In the unsubscribe link of every mail; never changes, so old mails keep working.
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    # In the confirmation link; emptied once used, so the link works exactly once.
    confirmation_token = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("Angemeldet am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("Abbestellt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["confirmation_token"],
                condition=~models.Q(confirmation_token=""),
                name="unique_open_confirmation_token",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
