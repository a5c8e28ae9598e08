"""The portal core's own table: the forms already sent (portal.once)."""

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
