"""Date polls that fix a tentative meeting, and the secret tokens of personal calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting


class DatePoll(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        CLOSED = "closed", _("Abgeschlossen")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="poll")
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    chosen_option = models.ForeignKey(
        "PollOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Terminumfrage")
        verbose_name_plural = _("Terminumfragen")

    def __str__(self) -> str:
        return str(self.meeting)


class PollOption(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class PollAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Ja")
        IF_NEED_BE = "maybe", _("Wenn nötig")
        NO = "no", _("Nein")

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("Antwort"), max_length=8, choices=Answer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="one_answer_per_option_and_person")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.answer}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's calendar subscription URL; replacing it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kalender-Abonnement")
        verbose_name_plural = _("Kalender-Abonnements")

    def __str__(self) -> str:
        return str(self.user)
