"""People of the portal. Spaces, memberships and organisations join them here."""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. People sign in with their e-mail address; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=150)
    organisation_name = models.CharField(
        _("Organisation"),
        max_length=200,
        blank=True,
        help_text=_("Die Organisation, für die die Person tätig ist, wie bei der Registrierung angegeben."),
    )
    language = models.CharField(
        _("Sprache"),
        max_length=8,
        default="de",
        help_text=_("Sprache der Oberfläche und der E-Mails."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Organisation(models.Model):
    """A partner organisation of the Offensive Mittelstand."""

    class Kind(models.TextChoices):
        CHAMBER = "chamber", _("Kammer")
        GUILD = "guild", _("Innung")
        TRADE_ASSOCIATION = "trade_association", _("Fachverband")
        FEDERAL_INSTITUTE = "federal_institute", _("Bundesinstitut")
        MINISTRY = "ministry", _("Ministerium")
        FOUNDATION = "foundation", _("Stiftung")
        CONSULTANCY = "consultancy", _("Beratungsunternehmen")
        FREELANCE_ADVISOR = "freelance_advisor", _("Freie Beratung")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    short_name = models.CharField(_("Kurzname"), max_length=40, blank=True)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("Website"), blank=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Space(models.Model):
    """A ring of the onion. Spaces form a tree; a member of a space is inside every ring around it."""

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
    admission = models.CharField(
        _("Aufnahme"), max_length=16, choices=Admission.choices, default=Admission.REQUEST
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Raum")
        verbose_name_plural = _("Räume")
        ordering = ["parent_id", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:space_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Mitglied")
        COORDINATOR = "coordinator", _("Koordination")

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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:thread_detail", kwargs={"slug": self.space.slug, "pk": self.pk})


class Post(models.Model):
    """The opening post or a reply of a thread; Markdown, sanitised when shown."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("Text"), help_text=_("Markdown"))
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread}: {self.author}"


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.replaced_at:%Y-%m-%d %H:%M})"


class Trade(models.Model):
    """A trade (Gewerk): a controlled vocabulary staff maintain in the admin."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("Gewerk")
        verbose_name_plural = _("Gewerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A topic (Thema): a controlled vocabulary staff maintain in the admin."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a person tells the members of their spaces about themselves."""

    class Visibility(models.TextChoices):
        NOBODY = "nobody", _("Niemand")
        MEMBERS = "members", _("Mitglieder meiner Räume")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("Organisation"),
    )
    function = models.CharField(_("Funktion"), max_length=150, blank=True)
    advises_crafts = models.BooleanField(_("Berät Handwerksbetriebe"), default=False)
    trades = models.ManyToManyField(Trade, blank=True, verbose_name=_("Gewerke"))
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("Themen"))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    show_email = models.CharField(
        _("E-Mail-Adresse zeigen"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    show_phone = models.CharField(
        _("Telefonnummer zeigen"), max_length=16, choices=Visibility.choices, default=Visibility.NOBODY
    )

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return str(self.user)


class Document(RingItem):
    """A shared document of a space (e.g. a concept draft), with versions and comments."""

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, help_text=_("Markdown"))
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("groups:document_detail", kwargs={"slug": self.space.slug, "pk": self.pk})


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

    class Meta:
        verbose_name = _("Dokumentversion")
        verbose_name_plural = _("Dokumentversionen")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentComment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("Kommentar"), help_text=_("Markdown"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.author}"
