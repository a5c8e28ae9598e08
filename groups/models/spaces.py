"""The rings: spaces, how people get in (memberships, join requests, invitations), and the
ring item base with the record of every widening."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models.people import User
from portal.links import url_for
from portal.markdown import RenderedMarkdown, html_field


class Space(RenderedMarkdown, models.Model):
    """A ring of the onion. Spaces form a tree; a member of a space is inside every ring around it."""

    markdown_fields = {"description": "description_html"}

    class Admission(models.TextChoices):
        REQUEST = "request", _("Beitritt auf Anfrage")
        INVITATION = "invitation", _("Nur auf Einladung oder nach Freigabe")

    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Umgebender Raum"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown"))
    description_html = html_field()
    admission = models.CharField(
        _("Aufnahme"), max_length=16, choices=Admission.choices, default=Admission.REQUEST
    )
    is_fachgruppe = models.BooleanField(
        _("Ist die Fachgruppe"),
        default=False,
        editable=False,
        help_text=_("Der Raum, in den Fragen, Informationen und Projekte gehören; genau einer."),
    )
    min_project_reviews = models.PositiveSmallIntegerField(
        _("Bewertungen vor einer Projektentscheidung"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "So viele Bewertungen muss ein Projekt dieses Raums haben, bevor darüber entschieden wird. "
            "Leer: die Vorgabe des Portals (Einstellung PROJECT_MIN_REVIEWS, sonst 2). Ein Raum mit nur "
            "einer Koordinatorin oder einem Koordinator setzt hier 1."
        ),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")
        ordering = ["parent_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_fachgruppe"],
                condition=models.Q(is_fachgruppe=True),
                name="space_only_one_fachgruppe",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("groups:space_detail", slug=self.slug)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        COORDINATOR = "coordinator", pgettext_lazy("role in a space", "Koordination")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("Mitglied seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="one_membership_per_space")]

    def __str__(self) -> str:
        return f"{self.user} in {self.space} ({self.get_role_display()})"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Offen")
        APPROVED = "approved", _("Angenommen")
        DECLINED = "declined", _("Abgelehnt")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("Nachricht"), blank=True)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("Gestellt am"), auto_now_add=True)
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entschieden von"),
    )
    reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request_per_space",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space} ({self.get_status_display()})"


class Invitation(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("E-Mail-Adresse"))
    role = models.CharField(
        _("Rolle"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    message = models.TextField(_("Persönliche Nachricht"), blank=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("Gültig bis"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.space}"


class RingItem(models.Model):
    """A content item with a home space and an audience (the ring that may see it).

    The audience is the home space, a space around it, or nobody in particular
    (None): the public. It only ever widens, through groups.services.audience_widen.
    """

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="+", verbose_name=_("Raum"))
    audience = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Sichtbar für"),
        help_text=_("Die Mitglieder dieses Raums (und aller Räume darin); leer heißt öffentlich."),
    )

    class Meta:
        abstract = True


class AudienceChange(models.Model):
    """The record of one widening: which item, from which ring to which, who and when."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    from_audience = models.ForeignKey(Space, on_delete=models.PROTECT, null=True, related_name="+")
    to_audience = models.ForeignKey(Space, on_delete=models.PROTECT, null=True, related_name="+")
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Erweiterung der Sichtbarkeit")
        verbose_name_plural = _("Erweiterungen der Sichtbarkeit")
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type} #{self.object_id}: {self.from_audience} → {self.to_audience or 'public'}"


class MembershipChange(models.Model):
    """The record of one membership ending or one change of role: who, whom, which space, when.

    Append-only. A removal or a leave that ends memberships in the spaces
    inside the one acted on writes one row per space, each naming that space
    (`via` the space acted on, when it is another).
    """

    class Action(models.TextChoices):
        REMOVED = "removed", _("Entfernt")
        LEFT = "left", _("Ausgetreten")
        ROLE_CHANGED = "role_changed", _("Rolle geändert")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="+", verbose_name=_("Raum"))
    via = models.ForeignKey(
        Space,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Über den Raum"),
    )
    person = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Person")
    )
    action = models.CharField(_("Vorgang"), max_length=16, choices=Action.choices)
    role_before = models.CharField(_("Rolle vorher"), max_length=16, choices=Membership.Role.choices)
    role_after = models.CharField(
        _("Rolle nachher"), max_length=16, choices=Membership.Role.choices, blank=True
    )
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("Von")
    )
    changed_at = models.DateTimeField(_("Am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Änderung einer Mitgliedschaft")
        verbose_name_plural = _("Änderungen von Mitgliedschaften")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["space", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.space}: {self.get_action_display()}"
