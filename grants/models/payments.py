"""The payments of a grant: its tranches (what was sent, at which rate and fees, what the
grantee received) and their status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusChangeBase
from core.money import currency_field, money_field
from organisations.models import PayeeDetailsVersion
from programme.models import TrancheCondition

from ..workflow import DisbursementStatus
from .initiatives import Initiative


class Disbursement(models.Model):
    """A tranche of the grant: planned, payable once its condition is met, then paid (or
    cancelled). ``amount`` is the share of the grant, in the grant's currency; the payment
    records what was actually sent (amount, currency, exchange rate, fees) and the grantee
    confirms what reached their account."""

    # The conditions are the edition's tranche plan's (programme), stored with the same values.
    Condition = TrancheCondition

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    amount = money_field(_("amount"))
    currency = currency_field()
    due_on = models.DateField(_("due on"), null=True, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.ON_SIGNATURE
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.PLANNED,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    # What the secretariat sent.
    amount_sent = money_field(_("amount sent"), null=True, blank=True)
    sent_currency = models.CharField(_("currency sent"), max_length=3, blank=True)
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_("Units of the currency sent for one unit of the grant's currency."),
    )
    fees = money_field(_("fees"), null=True, blank=True)
    payee = models.ForeignKey(
        PayeeDetailsVersion,
        verbose_name=_("paid to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
        help_text=_("The verified bank details the payment was sent to."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the grantee says reached their account.
    amount_received = money_field(_("amount received"), null=True, blank=True)
    received_currency = models.CharField(_("currency received"), max_length=3, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    received_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receipt confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    has_received_difference = models.BooleanField(
        _("received amount differs"),
        default=False,
        help_text=_(
            "The amount the grantee received differs from what was sent by more than the "
            "tolerance, or came in another currency."
        ),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["initiative", "tranche"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "tranche"], name="disbursement_unique_tranche"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message=_("A disbursement's amount must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status=DisbursementStatus.PAID) | Q(paid_on__isnull=False),
                name="disbursement_paid_has_date",
                violation_error_message=_("A paid disbursement needs the date it was paid."),
                violation_error_code="paid_without_date",
            ),
            models.CheckConstraint(
                condition=Q(amount_sent__isnull=True) | Q(amount_sent__gt=0),
                name="disbursement_amount_sent_positive",
                violation_error_message=_("The amount sent must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0),
                name="disbursement_rate_positive",
                violation_error_message=_("The exchange rate must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
            models.CheckConstraint(
                condition=Q(fees__isnull=True) | Q(fees__gte=0),
                name="disbursement_fees_not_negative",
                violation_error_message=_("The fees cannot be negative."),
                violation_error_code="amount_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_received__isnull=True) | Q(amount_received__gt=0),
                name="disbursement_amount_received_positive",
                violation_error_message=_("The amount received must be more than zero."),
                violation_error_code="amount_not_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} – {self.tranche}"

    @property
    def is_received_confirmed(self) -> bool:
        return self.received_confirmed_at is not None


class DisbursementStatusChange(StatusChangeBase):
    disbursement = models.ForeignKey(
        Disbursement,
        verbose_name=_("disbursement"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("disbursement status change")
        verbose_name_plural = _("disbursement status changes")
