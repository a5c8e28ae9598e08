"""Shared documents of a space, their uploaded versions and comments."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models.people import User
from groups.models.spaces import RingItem
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class Document(RenderedMarkdown, RingItem):
    """A shared document of a space (e.g. a concept draft), with versions and comments."""

    markdown_fields = {"description": "description_html"}

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown"))
    description_html = html_field()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-updated_at"]
        indexes = [
            # A space's document list, in its order (groups.selectors.document_list).
            models.Index(fields=["space", "-updated_at", "-id"], name="document_space_updated_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("groups:document_detail", slug=self.space.slug, pk=self.pk)


def _document_upload_path(instance, filename: str) -> str:
    # The stored name is random: nothing of it can be guessed, and only a view that
    # checks the ring rules ever reads the file (there is no public media URL).
    return f"documents/{uuid.uuid4().hex}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(_("Datei"), upload_to=_document_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    note = models.CharField(_("Was ist neu?"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The file's text (PDF, DOCX, ODT), read once after the upload by a task, for the search.
    extracted_text = models.TextField(blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Dokumentversion")
        verbose_name_plural = _("Dokumentversionen")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentComment(RenderedMarkdown, models.Model):
    markdown_fields = {"body": "body_html"}

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("Kommentar"), help_text=_("Markdown"))
    body_html = html_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.author}"
