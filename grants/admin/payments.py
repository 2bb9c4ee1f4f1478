"""Back office of the tranches of the grants: their conditions, payments and history. A
payment is recorded with the "record the payment" action (its service tells the grantee)."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core.admin import STATUS_FIELDS, HistoryAdmin, HistoryInline, comment_action, translated
from programme.admin import EditionListFilter

from ..models import DisbursementStatusChange
from ..services import disbursement_mark_paid
from ..workflow import DisbursementStatus


@admin.action(description=_("Record the payment of the selected tranches (today)"))
def record_payments(modeladmin, request, queryset):
    """Payable tranches paid today; the comment is the payment reference (bank transfer...)."""
    return comment_action(
        modeladmin,
        request,
        queryset,
        action="record_payments",
        texts={
            "title": gettext_now("Record payments"),
            "intro": gettext_now(
                "The selected tranches are recorded as paid today, and each grantee is told. "
                "Give the payment reference (for example the bank transfer number)."
            ),
            "button": gettext_now("Record the payments"),
            "done": gettext_now("%(count)s payments recorded."),
            "label": gettext_now("Payment reference"),
        },
        step=lambda disbursement, reference: disbursement_mark_paid(
            disbursement=disbursement,
            actor=request.user,
            paid_on=datetime.date.today(),
            reference=reference,
        ),
    )


class DisbursementHistoryInline(HistoryInline):
    model = DisbursementStatusChange
    status_choices = {"disbursement": DisbursementStatus}


class DisbursementAdmin(admin.ModelAdmin):
    list_display = (
        "initiative",
        "tranche",
        "amount",
        "currency",
        "condition",
        "due_on",
        "status",
        "paid_on",
    )
    list_filter = (("initiative__edition", EditionListFilter), "status", "condition")
    list_select_related = ("initiative",)
    search_fields = ("reference", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "due_on"
    autocomplete_fields = ("initiative",)
    # Status and payment date change only through the "record payment" action (its service).
    readonly_fields = (*STATUS_FIELDS, "paid_on")
    inlines = (DisbursementHistoryInline,)
    actions = (record_payments,)


class DisbursementStatusChangeAdmin(HistoryAdmin):
    parent = "disbursement"
    status_choices = {"disbursement": DisbursementStatus}
    list_select_related = ("disbursement__initiative", "actor")
    list_filter = (("disbursement__initiative__edition", EditionListFilter), "role")
