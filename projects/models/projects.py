"""A model project: what a partner submits, the coordinators review, and the showcase presents.

A project is a ring item at home in the Fachgruppe. Until it is accepted only
its submitter and the home space's coordinators see it (groups.access); on
acceptance its audience becomes the public.
"""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation, RingItem, Topic, Trade, User
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field

# The catalogue and the feed show the summary whole.
SUMMARY_MAX = 600


class Region(models.TextChoices):
    NATIONWIDE = "bundesweit", _("Bundesweit")
    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bayern")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hessen")
    MV = "MV", _("Mecklenburg-Vorpommern")
    NI = "NI", _("Niedersachsen")
    NW = "NW", _("Nordrhein-Westfalen")
    RP = "RP", _("Rheinland-Pfalz")
    SL = "SL", _("Saarland")
    SN = "SN", _("Sachsen")
    ST = "ST", _("Sachsen-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thüringen")


class FundingProgramme(models.Model):
    """A funding programme (Förderprogramm): a controlled vocabulary staff maintain in the admin."""

    name = models.CharField(_("Name"), max_length=150, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(RenderedMarkdown, RingItem):
    markdown_fields = {"description": "description_html"}

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("Eingereicht")
        IN_REVIEW = "in_review", _("In Prüfung")
        RETURNED = "returned", _("Zur Überarbeitung zurückgegeben")
        ACCEPTED = "accepted", _("Angenommen")
        DECLINED = "declined", _("Abgelehnt")

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.TextField(
        _("Kurzfassung"),
        blank=True,
        validators=[MaxLengthValidator(SUMMARY_MAX)],
        help_text=_("Zwei bis drei Sätze für den Katalog und den Feed (höchstens 600 Zeichen)."),
    )
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        help_text=_("Markdown: Ausgangslage, Vorgehen, Ergebnisse, was andere übernehmen können."),
    )
    description_html = html_field()
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("Organisation"),
    )
    funding_programme = models.ForeignKey(
        FundingProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("Förderprogramm"),
    )
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    region = models.CharField(_("Region"), max_length=16, choices=Region.choices, blank=True)
    trades = models.ManyToManyField(Trade, blank=True, related_name="projects", verbose_name=_("Gewerke"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="projects", verbose_name=_("Themen"))
    contact_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    links = models.JSONField(_("Links"), default=list, blank=True)

    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="submitted_projects", verbose_name=_("Eingereicht von")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("Eingereicht am"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True, db_index=True)
    # The number of the current submission: 1 for the first, 2 after one revision, ...
    round = models.PositiveIntegerField(_("Runde"), default=1, editable=False)

    class Meta:
        verbose_name = _("Modellprojekt")
        verbose_name_plural = _("Modellprojekte")
        ordering = ["-accepted_at", "-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("projects:detail", slug=self.slug)

    @property
    def is_editable_by_submitter(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


def _image_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/images/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def _attachment_path(instance, filename: str) -> str:
    return f"projects/{instance.project_id}/attachments/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class ProjectImage(models.Model):
    """A picture, stored re-encoded (resized, without metadata), with a small version for lists."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=_image_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=_image_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("Bildbeschreibung"),
        max_length=250,
        help_text=_("Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können."),
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=250, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Projektbild")
        verbose_name_plural = _("Projektbilder")
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class ProjectAttachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    title = models.CharField(_("Titel"), max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Projektanhang")
        verbose_name_plural = _("Projektanhänge")
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """One submission for review, with the text as it was then: a resubmission keeps the history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("Runde"))
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einreichung")
        verbose_name_plural = _("Einreichungen")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_submission_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.project} #{self.number}"
