"""Discussions of a space: threads, their posts and the earlier versions of edited posts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models.people import User
from groups.models.spaces import RingItem
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class Thread(RingItem):
    """A discussion in a space."""

    title = models.CharField(_("Titel"), max_length=200)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("Begonnen am"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("Letzte Aktivität"), auto_now_add=True, db_index=True)
    is_pinned = models.BooleanField(_("Angeheftet"), default=False)
    is_closed = models.BooleanField(_("Geschlossen"), default=False)

    class Meta:
        verbose_name = _("Diskussion")
        verbose_name_plural = _("Diskussionen")
        ordering = ["-is_pinned", "-last_activity_at"]
        indexes = [
            # A space's discussion list, in its order (groups.selectors.thread_list).
            models.Index(
                fields=["space", "-is_pinned", "-last_activity_at", "-id"], name="thread_space_activity_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("groups:thread_detail", slug=self.space.slug, pk=self.pk)


class Post(RenderedMarkdown, models.Model):
    """The opening post or a reply of a thread: Markdown and its sanitised HTML."""

    markdown_fields = {"body": "body_html"}

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("Text"), help_text=_("Markdown"))
    body_html = html_field()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread}: {self.author}"


class PostRevision(RenderedMarkdown, models.Model):
    """The text a post had before an edit."""

    markdown_fields = {"body": "body_html"}

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = html_field()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.replaced_at:%Y-%m-%d %H:%M})"
