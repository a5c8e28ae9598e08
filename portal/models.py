"""The portal core's own tables: the forms already sent (portal.once) and the overview's last visit."""

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A form's one-time token, taken by the first POST that created something with it."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="portal_submission_user_time")]

    def __str__(self) -> str:
        return self.url


class OverviewVisit(models.Model):
    """When a person last looked at "Mein Überblick", so that it can say what is new since then.

    `seen_at` moves when the page is viewed (at most every few minutes, portal.overview);
    `since` is the end of the person's previous visit, the line between old and new.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seen_at = models.DateTimeField()
    since = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"
