"""The review of a submitted project: each coordinator's scores, and the decision that weighs them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import User
from projects.models.projects import Project

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Review(models.Model):
    """One coordinator's assessment in one round, against the Fachgruppe's two criteria."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField(_("Runde"))
    reviewer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("Prüfer/in")
    )
    transferability = models.PositiveSmallIntegerField(_("Übertragbarkeit"), validators=SCORE_VALIDATORS)
    transferability_reason = models.TextField(_("Begründung zur Übertragbarkeit"))
    added_value = models.PositiveSmallIntegerField(
        _("Mehrwert für das Handwerk"), validators=SCORE_VALIDATORS
    )
    added_value_reason = models.TextField(_("Begründung zum Mehrwert"))
    note = models.TextField(
        _("Interne Notiz"),
        blank=True,
        help_text=_("Nur für die Koordination, nie für die einreichende Person."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["project", "round", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round", "reviewer"], name="one_review_per_round"),
            models.CheckConstraint(
                condition=models.Q(transferability__gte=1, transferability__lte=5)
                & models.Q(added_value__gte=1, added_value__lte=5),
                name="scores_from_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.reviewer} · {self.round}"


class Decision(models.Model):
    """The coordinators' decision on one round: who decided, what and why."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Angenommen")
        RETURNED = "returned", _("Zur Überarbeitung zurückgegeben")
        DECLINED = "declined", _("Abgelehnt")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveIntegerField(_("Runde"))
    outcome = models.CharField(_("Entscheidung"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("Begründung"))
    changes_requested = models.TextField(
        _("Gewünschte Änderungen"),
        blank=True,
        help_text=_("Bei einer Rückgabe: was überarbeitet werden soll."),
    )
    share_reviews = models.BooleanField(
        _("Bewertungen der einreichenden Person zeigen"),
        default=False,
        help_text=_("Punkte und Begründungen ohne Namen; interne Notizen bleiben verborgen."),
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        ordering = ["project", "round"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round"], name="one_decision_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.round}: {self.get_outcome_display()}"
