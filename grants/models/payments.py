"""The payments of a grant: its tranches and their status history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusChangeBase
from core.money import currency_field, money_field
from programme.models import ReportKind

from ..workflow import DisbursementStatus
from .initiatives import Initiative


class Disbursement(models.Model):
    """A tranche of the grant: planned, payable once its condition is met, then paid."""

    class Condition(models.TextChoices):
        ON_SIGNATURE = "signature", _("On signature of the agreement")
        WORKPLAN_APPROVED = "workplan", _("When the workplan is approved")
        INTERIM_ACCEPTED = ReportKind.INTERIM.value, _("When the interim report is accepted")
        FINAL_ACCEPTED = ReportKind.FINAL.value, _("When the final report is accepted")

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
        ]

    def __str__(self) -> str:
        return f"{self.initiative} – {self.tranche}"


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
