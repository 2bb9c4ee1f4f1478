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

from core.models import ContentLanguage, StatusChangeBase

from .workflow import PublicChangeStatus


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
    is_at_risk = models.BooleanField(
        _("at risk"),
        default=False,
        help_text=_(
            "Publishing this organisation's identity would put its people in danger. On the "
            "public site (pages, search, sitemap), in the open-data files and in the API, its "
            "name, city, website, people and photos are replaced by a neutral label such as "
            "“A community organisation in Brazil”, its identifier by an opaque one, and it has "
            "no public page; its country, amounts and themes still count."
        ),
    )
    related_organisations = models.ManyToManyField(
        "self",
        verbose_name=_("related organisations"),
        through="OrganisationRelation",
        symmetrical=False,
        related_name="related_to",
        blank=True,
    )
    # Optimistic locking: the profile form and the back office carry the version they read.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # Lists by name (the back office's, the autocompletes) read in index order.
        indexes = [models.Index(fields=["name", "id"], name="organisation_by_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800),
                name="organisation_founded_year_plausible",
                violation_error_message=_(
                    "The year the organisation was founded must be 1800 or later."
                ),
                violation_error_code="out_of_range",
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
                condition=~Q(organisation=F("related")),
                name="relation_not_to_itself",
                violation_error_message=_("An organisation cannot be related to itself."),
                violation_error_code="related_to_itself",
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
        return column_label(self.field)


def column_label(column: str) -> str:
    """An organisation's column as people read it, with the language of a translated one
    ("presentation (Spanish)")."""
    name, _sep, language = column.rpartition("_")
    if name and language in ContentLanguage.values:
        label = Organisation._meta.get_field(name).verbose_name
        return f"{label} ({ContentLanguage(language).label})"
    try:
        return str(Organisation._meta.get_field(column).verbose_name)
    except FieldDoesNotExist:  # a field renamed since: show its stored name
        return column


class PublicProfileChange(models.Model):
    """What members proposed to change in what the public reads of their organisation (its
    presentation, city and website), waiting for the secretariat's approval.

    The organisation's row keeps the approved values, which the public pages show; this row
    holds the proposed ones (``values``: column → text, such as ``description_es``). Each
    organisation has at most one pending proposal: further saves update it, so the secretariat
    is told once per proposal, not once per save.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="public_changes",
    )
    values = models.JSONField(_("proposed values"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicChangeStatus.choices,
        default=PublicChangeStatus.PENDING,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("change to a public profile")
        verbose_name_plural = _("changes to public profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status=PublicChangeStatus.PENDING),
                name="public_change_one_pending",
                violation_error_message=_(
                    "This organisation already has changes waiting for approval."
                ),
                violation_error_code="already_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_status_display()}"

    def comparison(self) -> list[tuple[str, str, str]]:
        """(field, what the public reads now, what is proposed) per proposed column."""
        return [
            (column_label(column), getattr(self.organisation, column, "") or "", value)
            for column, value in sorted(self.values.items())
        ]


class PublicProfileChangeStatusChange(StatusChangeBase):
    change = models.ForeignKey(
        PublicProfileChange,
        verbose_name=_("change to a public profile"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("public profile change status change")
        verbose_name_plural = _("public profile change status changes")


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation administrator")
        MEMBER = "member", _("Member")
        # Signs the grant agreement for the organisation; an administrator does not, unless
        # given this role.
        SIGNATORY = "signatory", _("Signatory")

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
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_expires_after_created",
                violation_error_message=_("An invitation must expire after it is created."),
                violation_error_code="dates_out_of_order",
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


def mask_account_number(number: str) -> str:
    """An account number as lists show it: its last four characters only ("•••• 1234")."""
    compact = "".join(number.split())
    if not compact:
        return ""
    return f"•••• {compact[-4:]}" if len(compact) > 4 else "••••"


class PayeeDetails(models.Model):
    """Where an organisation's grants are paid: one row per organisation, pointing at its
    current ``PayeeDetailsVersion``. Every save makes a new version (nothing typed is lost);
    a version must be verified by a member of the secretariat who did not edit it before a
    payment can be recorded."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="payee_details",
    )
    # Optimistic locking: the number of the current version, carried by the form that edits it.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    current = models.ForeignKey(
        "PayeeDetailsVersion",
        verbose_name=_("current details"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("payee and bank details")
        verbose_name_plural = _("payee and bank details")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_verified(self) -> bool:
        return self.current is not None and self.current.is_verified


class PayeeDetailsVersion(models.Model):
    """One saved version of an organisation's bank details: the values, who saved them and
    when, and who verified them (never the same person)."""

    payee = models.ForeignKey(
        PayeeDetails,
        verbose_name=_("payee"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    account_holder = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    account_number = models.CharField(
        _("IBAN or account number"),
        max_length=64,
        help_text=_("The IBAN where the bank has one, else the account number."),
    )
    swift_bic = models.CharField(
        _("SWIFT/BIC"),
        max_length=11,
        blank=True,
        help_text=_("8 or 11 letters and digits, for international transfers."),
    )
    bank_address = models.TextField(_("bank address"), blank=True)
    country = CountryField(_("country of the bank"))
    currency = models.CharField(
        _("currency of the account"),
        max_length=3,
        help_text=_("ISO 4217 code, for example USD or EUR."),
    )
    notes = models.TextField(
        _("notes for the transfer"),
        blank=True,
        help_text=_("An intermediary bank, a routing or sort code, anything the transfer needs."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["payee", "-number"]
        verbose_name = _("bank details version")
        verbose_name_plural = _("bank details history")
        constraints = [
            models.UniqueConstraint(fields=["payee", "number"], name="payeeversion_unique_number"),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("created_by")),
                name="payeeversion_four_eyes",
                violation_error_message=_(
                    "Bank details must be verified by someone other than the person who "
                    "entered them."
                ),
                violation_error_code="four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee} – {self.number}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def masked_account_number(self) -> str:
        return mask_account_number(self.account_number)
