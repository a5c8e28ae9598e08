"""People of the portal: accounts, partner organisations, profiles and the trade and topic vocabularies."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
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
    # Set when the account was erased (privacy.erasure): the row stays without any personal data,
    # so that what others rely on (posts, reviews, minutes) keeps its author, "ehemaliges Mitglied".
    erased_at = models.DateTimeField(_("Gelöscht am"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("Ehemaliges Mitglied"))
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

    class Salutation(models.TextChoices):
        NEUTRAL = "", _("Neutral (Guten Tag Vorname Nachname)")
        FRAU = "frau", _("Frau")
        HERR = "herr", _("Herr")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    # How mails address the person (portal/salutation.py).
    salutation = models.CharField(
        _("Anrede"), max_length=8, choices=Salutation.choices, default=Salutation.NEUTRAL, blank=True
    )
    title = models.CharField(
        _("Titel"),
        max_length=40,
        blank=True,
        help_text=_("Zum Beispiel „Dr.“; steht in der Anrede Ihrer E-Mails."),
    )
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
