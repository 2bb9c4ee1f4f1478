"""People and the organisations they belong to."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from programme.models import ContentLanguage, validate_time_zone


class EmailUserManager(UserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user_object(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.password = ""
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        return user

    def _create_user(self, email, password, **extra_fields):
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=ContentLanguage.choices,
        default="en",
        help_text=_("The portal and the emails you receive use this language."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()


class OrganisationKind(models.TextChoices):
    COMMUNITY = "community", _("Community group")
    NGO = "ngo", _("Non-governmental organisation")
    NETWORK = "network", _("Network")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.NGO
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("presentation"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    identifier = models.CharField(
        _("organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("An org-id.guide identifier such as GB-CHC-123456, for open data."),
    )
    related_organisations = models.ManyToManyField(
        "self",
        verbose_name=_("related organisations"),
        through="OrganisationRelation",
        symmetrical=False,
        related_name="related_to",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800),
                name="organisation_founded_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:organisation", kwargs={"slug": self.slug})


class OrganisationRelation(models.Model):
    class Kind(models.TextChoices):
        SISTER = "sister", _("sister organisation of")
        MEMBER = "member", _("member of")
        PARTNER = "partner", _("partner of")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="relations",
    )
    related = models.ForeignKey(
        Organisation,
        verbose_name=_("related organisation"),
        on_delete=models.CASCADE,
        related_name="reverse_relations",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("organisation relation")
        verbose_name_plural = _("organisation relations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "related", "kind"], name="relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("related")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()} – {self.related}"


class OrganisationChange(models.Model):
    """One field of an organisation's profile changed in the portal: who, when, before, after.

    Grantees edit their own profile; the secretariat reads these rows to see what changed.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("organisation profile change")
        verbose_name_plural = _("organisation profile changes")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.field_label}"

    # Not a field of the organisation: a person joined or left (old/new hold who).
    MEMBERS = "members"

    @property
    def field_label(self) -> str:
        """The field's name as people read it, with the language of a translated field."""
        if self.field == self.MEMBERS:
            return str(_("members"))
        name, _sep, language = self.field.rpartition("_")
        if name and language in ContentLanguage.values:
            label = Organisation._meta.get_field(name).verbose_name
            return f"{label} ({ContentLanguage(language).label})"
        try:
            return str(Organisation._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field renamed since: show its stored name
            return self.field


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    language = models.CharField(
        _("language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="invitation_expires_after_created"
            ),
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class Notification(models.Model):
    """One email to one person about one event: the outbox and the log of what was sent.

    ``key`` names the event (for example ``report:12:due_14``); with the kind and the address it
    is unique, so the same notification is recorded, and sent, once whatever runs twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("event"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(
        _("language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    context = models.JSONField(_("content"), default=dict, blank=True)
    path = models.CharField(_("link"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "kind", "key", name="notification_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email}"


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_run_at():
    import datetime

    return datetime.time(7, 0)


class ScheduledJob(models.Model):
    """A job Celery beat starts once a day at a time the secretariat chooses, in a time zone.

    Beat ticks every few minutes (SCHEDULE_TICK_SECONDS); a tick starts the job when its local
    time has come and ``last_run_on`` is before today, claiming the day with one conditional
    UPDATE, so overlapping ticks start it once.
    """

    class Job(models.TextChoices):
        # The value is the Celery task's import path: organisations cannot import the apps
        # that depend on it, so the job is found by name when it is due.
        REPORT_REMINDERS = (
            "reports.tasks.send_report_reminders",
            _("Report reminders (due in 14 days, in 3 days, overdue)"),
        )

    job = models.CharField(_("job"), max_length=100, choices=Job.choices, unique=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    run_at = models.TimeField(
        _("runs at"), default=default_run_at, help_text=_("Time of day, in the time zone below.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("For example Europe/Paris, America/Bogota or UTC."),
    )
    last_run_on = models.DateField(
        _("last run on"),
        null=True,
        blank=True,
        help_text=_("The day (in the time zone above) the job last started."),
    )
    last_run_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)

    class Meta:
        ordering = ["job"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return str(self.get_job_display())
