"""The light track: small grants of an edition whose ``track`` is light (a one-page form, one
decision, one payment sent in a bank file, a one-page report with photos).

One row, ``LightApplication``, holds a small grant from the form to the report: its three
statuses (application, payment, report) move through the light tables of ``grants.workflow``
and every change is kept in ``LightStatusChange``. The applicant has no account: the email
address they confirmed and the signed links sent to it stand for one.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.files import PhotoField, PrivatePath
from core.models import ContentLanguage, StatusChangeBase
from core.money import currency_field, money_field

from ..workflow import LightPaymentStatus, LightReportStatus, LightStatus

TOKEN_SALT = "grants.light.application"  # noqa: S105 (a signing salt, not a secret)

# The columns a payment file may have: key -> heading. The layout orders a choice of them.
PAYMENT_COLUMNS = {
    "reference": _("Reference"),
    "account_holder": _("Account holder"),
    "bank_name": _("Bank"),
    "account_number": _("Account number or IBAN"),
    "swift_bic": _("SWIFT/BIC"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "country": _("Country"),
    "city": _("City"),
    "email": _("Email"),
    "group_name": _("Group"),
}


class LightDeclineReason(models.Model):
    """A reason the secretariat may give when it declines small-grant applications in bulk;
    written in every language, sent in the applicant's."""

    text = models.CharField(_("reason"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("reason for declining a small grant")
        verbose_name_plural = _("reasons for declining a small grant")

    def __str__(self) -> str:
        return self.text


class PaymentFileLayout(models.Model):
    """The columns, in order, of the payment file the bank takes, and its format."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    name = models.CharField(_("name"), max_length=100)
    file_format = models.CharField(
        _("format"), max_length=4, choices=Format.choices, default=Format.CSV
    )
    columns = models.CharField(
        _("columns"),
        max_length=500,
        help_text=_(
            "The columns in order, separated by commas, among: reference, account_holder, "
            "bank_name, account_number, swift_bic, amount, currency, country, city, email, "
            "group_name."
        ),
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("payment file layout")
        verbose_name_plural = _("payment file layouts")

    def __str__(self) -> str:
        return self.name

    @property
    def column_keys(self) -> list[str]:
        return [key.strip() for key in self.columns.split(",") if key.strip()]

    def clean(self) -> None:
        unknown = [key for key in self.column_keys if key not in PAYMENT_COLUMNS]
        if unknown or not self.column_keys:
            raise ValidationError(
                {
                    "columns": _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
                    if unknown
                    else _("Choose at least one column.")
                }
            )


class PaymentBatch(models.Model):
    """One payment file sent to the bank: the grants it pays, and the bank's answer."""

    edition = models.ForeignKey(
        "programme.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="payment_batches",
    )
    layout = models.ForeignKey(
        PaymentFileLayout, verbose_name=_("layout"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    total = money_field(_("total"), default=0)
    currency = currency_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")

    def __str__(self) -> str:
        return f"#{self.pk} {self.edition}"

    @property
    def filename(self) -> str:
        return f"payments-{self.edition.slug}-{self.pk}.{self.layout.file_format}"


class LightApplicationQuerySet(models.QuerySet):
    def on_the_map(self) -> LightApplicationQuerySet:
        """Actions the public map shows: the grant's report was accepted."""
        return self.filter(report_status=LightReportStatus.ACCEPTED)


class LightApplication(models.Model):
    edition = models.ForeignKey(
        "programme.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="light_applications",
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(
        _("language"), max_length=5, choices=ContentLanguage.choices, default="en"
    )
    group_name = models.CharField(_("group"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120)
    planned_action = models.TextField(_("planned action"), max_length=2000)
    action_date = models.DateField(_("date of the action"))
    expected_participants = models.PositiveIntegerField(_("expected participants"))
    amount = money_field(_("amount requested"))
    currency = currency_field()
    # Bank details, typed by the applicant; a member of the secretariat verifies them and the
    # fingerprint of what was verified travels with them: a payment file refuses any line whose
    # details changed since.
    account_holder = models.CharField(_("account holder"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    account_number = models.CharField(_("account number or IBAN"), max_length=64)
    swift_bic = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True)
    payee_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bank details verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payee_verified_at = models.DateTimeField(_("bank details verified at"), null=True, blank=True)
    payee_verified_hash = models.CharField(max_length=64, blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=20, choices=LightStatus.choices, default=LightStatus.UNCONFIRMED
    )
    is_duplicate = models.BooleanField(
        _("possible duplicate"),
        default=False,
        help_text=_("Another application to this edition has the same group and email."),
    )
    is_at_risk = models.BooleanField(
        _("at risk"),
        default=False,
        help_text=_("The public map shows only the country of this action, without photos."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.ForeignKey(
        LightDeclineReason,
        verbose_name=_("reason for declining"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement_accepted_at = models.DateTimeField(_("agreement accepted at"), null=True, blank=True)

    payment_status = models.CharField(
        _("payment"),
        max_length=20,
        choices=LightPaymentStatus.choices,
        default=LightPaymentStatus.NONE,
    )
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("payment file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    fees = money_field(_("fees"), null=True, blank=True)

    report_status = models.CharField(
        _("report"),
        max_length=20,
        choices=LightReportStatus.choices,
        default=LightReportStatus.NOT_DUE,
    )
    report_due_on = models.DateField(_("report due on"), null=True, blank=True)
    report_text = models.TextField(_("what happened"), blank=True)
    report_participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    report_link = models.URLField(_("link"), blank=True)
    report_submitted_at = models.DateTimeField(_("report submitted at"), null=True, blank=True)

    objects = LightApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("small-grant application")
        verbose_name_plural = _("small-grant applications")
        indexes = [
            models.Index(fields=["edition", "status"], name="light_edition_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="light_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            # One payment per grant: a paid grant has its date and reference.
            models.CheckConstraint(
                condition=~Q(payment_status=LightPaymentStatus.PAID)
                | (Q(paid_on__isnull=False) & ~Q(payment_reference="")),
                name="light_paid_has_reference",
                violation_error_message=_("A payment needs its date and bank reference."),
                violation_error_code="payment_incomplete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.city})"

    def get_absolute_url(self) -> str:
        return reverse("calls:light_application", kwargs={"token": self.token})

    @property
    def reference(self) -> str:
        """The line's reference in payment files and the bank's return file."""
        return f"SG-{self.pk}"

    @property
    def token(self) -> str:
        """The secret of the applicant's links: their application's id, signed."""
        return signing.Signer(salt=TOKEN_SALT).sign_object(self.pk)

    def payee_hash(self) -> str:
        """A fingerprint of the bank details as they are now."""
        parts = (self.account_holder, self.bank_name, self.account_number, self.swift_bic)
        return hashlib.sha256("\x1f".join(p.strip() for p in parts).encode()).hexdigest()

    @property
    def is_payee_verified(self) -> bool:
        return bool(self.payee_verified_hash) and self.payee_verified_hash == self.payee_hash()


class LightPhoto(models.Model):
    """A photo of a one-page report; shown on the public map only with the consent of the people
    in it, from a public copy made when the report is accepted."""

    application = models.ForeignKey(
        LightApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(
        _("photo"), upload_to=PrivatePath("light", "application_id"), max_length=255
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    has_consent = models.BooleanField(_("the people shown agree to its publication"))
    public_copy = PhotoField(_("published copy"), upload_to="public/light/", blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


class LightStatusChange(StatusChangeBase):
    """Every status change of a small grant: its application, its payment and its report
    (``workflow`` says which)."""

    application = models.ForeignKey(
        LightApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("small-grant status change")
        verbose_name_plural = _("small-grant status changes")
