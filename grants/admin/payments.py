"""Back office of the tranches of the grants: their conditions, payments and history.

A payment is recorded with the "record the payments" action: a page with one line per payable
tranche selected (date, amount sent, currency, exchange rate, fees, reference), refused for an
organisation whose bank details are not verified. Tranches are cancelled with a reason. The
list flags payments whose amount received, as the grantee confirmed it, differs from what was
sent."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import (
    STATUS_FIELDS,
    HistoryAdmin,
    HistoryInline,
    LongListMixin,
    comment_action,
    money_column,
    translated,
)
from core.errors import DomainError
from core.exports import Column, ExportMixin
from organisations.selectors import payee_details_of, payee_problem
from programme.admin import EditionListFilter

from ..models import Disbursement, DisbursementStatusChange
from ..services import disbursement_cancel, disbursement_mark_paid, payment_problems
from ..workflow import DisbursementStatus


class PaymentForm(forms.Form):
    """One payment, for one payable tranche (``tranches``: the tranches of the page by id)."""

    disbursement = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount_sent = forms.DecimalField(label=_("Amount sent"), max_digits=12, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency sent"),
        max_length=3,
        min_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
    )
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate"),
        max_digits=18,
        decimal_places=8,
        help_text=_("Units of the currency sent for one unit of the grant's currency."),
    )
    fees = forms.DecimalField(label=_("Fees"), max_digits=12, decimal_places=2)
    reference = forms.CharField(label=_("Payment reference"), max_length=120, required=False)

    def __init__(self, *args, tranches: dict[int, Disbursement], **kwargs):
        self.tranches = tranches
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        tranche = self.tranches.get(cleaned.get("disbursement"))
        if tranche is None:
            return cleaned  # not payable any more (paid meanwhile): left out, not recorded
        problems = payment_problems(
            disbursement=tranche,
            paid_on=cleaned.get("paid_on"),
            amount_sent=cleaned.get("amount_sent"),
            currency=(cleaned.get("currency") or "").strip().upper(),
            exchange_rate=cleaned.get("exchange_rate"),
            fees=cleaned.get("fees"),
        )
        for field, message in problems.items():
            if field not in self.errors:  # a field's own error (not a number...) says enough
                self.add_error(field, message)
        return cleaned


PaymentFormSet = forms.formset_factory(PaymentForm, extra=0)


@admin.action(description=_("Record the payment of the selected tranches"))
def record_payments(modeladmin, request, queryset):
    """A page asking, for each payable tranche selected, what was sent: then each payment is
    recorded by ``disbursement_mark_paid`` (which tells the grantee), or refused with the
    reason (bank details not verified, paid meanwhile)."""
    selected = list(
        queryset.select_related("initiative__lead_organisation").order_by("initiative", "tranche")
    )
    payable = [t for t in selected if t.status == DisbursementStatus.PAYABLE]
    others = [t for t in selected if t.status != DisbursementStatus.PAYABLE]
    if others:
        modeladmin.message_user(
            request,
            gettext("Not payable, left out: %(tranches)s.")
            % {"tranches": "; ".join(f"{t} ({t.get_status_display()})" for t in others)},
            messages.WARNING,
        )
    if not payable:
        modeladmin.message_user(
            request, gettext("None of the selected tranches is payable."), messages.ERROR
        )
        return None
    by_pk = {t.pk: t for t in payable}
    form_kwargs = {"tranches": by_pk}
    if "apply" in request.POST:
        formset = PaymentFormSet(request.POST, prefix="payments", form_kwargs=form_kwargs)
        if formset.is_valid():
            _record(modeladmin, request, formset, by_pk)
            return None
    else:
        today = timezone.localdate()
        formset = PaymentFormSet(
            prefix="payments",
            form_kwargs=form_kwargs,
            initial=[
                {
                    "disbursement": t.pk,
                    "paid_on": today,
                    "amount_sent": t.amount,
                    "currency": t.currency,
                    "exchange_rate": 1,
                    "fees": 0,
                }
                for t in payable
            ],
        )
    forms_by_pk = {form.initial.get("disbursement") or _posted_pk(form): form for form in formset}
    rows = []
    for tranche in payable:
        organisation = tranche.initiative.lead_organisation
        payee = payee_details_of(organisation)
        rows.append(
            {
                "tranche": tranche,
                "form": forms_by_pk.get(tranche.pk),
                "payee": payee.current if payee else None,
                "problem": payee_problem(organisation),
            }
        )
    return TemplateResponse(
        request,
        "admin/grants/disbursement/record_payments.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Record payments"),
            "rows": rows,
            "formset": formset,
            "objects": selected,
            "action": "record_payments",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


def _posted_pk(form) -> int | None:
    value = form.data.get(form.add_prefix("disbursement"), "")
    return int(value) if str(value).isdigit() else None


def _record(modeladmin, request, formset, by_pk: dict[int, Disbursement]) -> None:
    done = 0
    for form in formset:
        tranche = by_pk.get(form.cleaned_data.get("disbursement"))
        if tranche is None:
            continue
        try:
            disbursement_mark_paid(
                disbursement=tranche,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount_sent=form.cleaned_data["amount_sent"],
                currency=form.cleaned_data["currency"],
                exchange_rate=form.cleaned_data["exchange_rate"],
                fees=form.cleaned_data["fees"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as error:
            modeladmin.message_user(request, f"{tranche}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)s payment recorded.", "%(count)s payments recorded.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.action(description=_("Cancel the selected tranches"))
def cancel_tranches(modeladmin, request, queryset):
    """Planned or payable tranches cancelled, with the reason (told to the grantee)."""
    return comment_action(
        modeladmin,
        request,
        queryset,
        action="cancel_tranches",
        texts={
            "title": gettext("Cancel tranches"),
            "intro": gettext(
                "The selected tranches will not be paid. The organisation is told, with the reason."
            ),
            "button": gettext("Cancel the tranches"),
            "done": gettext("Tranches cancelled: %(count)s."),
            "label": gettext("Reason for cancelling"),
        },
        step=lambda disbursement, reason: disbursement_cancel(
            disbursement=disbursement, actor=request.user, reason=reason
        ),
    )


class DisbursementHistoryInline(HistoryInline):
    model = DisbursementStatusChange
    status_choices = {"disbursement": DisbursementStatus}


# Written only by the payment, confirmation and cancelling services.
PAYMENT_FIELDS = (
    "paid_on",
    "amount_sent",
    "sent_currency",
    "exchange_rate",
    "fees",
    "reference",
    "paid_to",
    "recorded_by",
)
RECEIVED_FIELDS = (
    "amount_received",
    "received_currency",
    "received_on",
    "received_confirmed_at",
    "received_confirmed_by",
    "has_received_difference",
)


class DisbursementAdmin(LongListMixin, ExportMixin, admin.ModelAdmin):
    list_display = (
        "initiative",
        "tranche",
        "amount_due",
        "condition",
        "due_on",
        "status",
        "paid_on",
        "sent",
        "has_received_difference",
    )
    amount_due = money_column("amount", "currency", _("amount"))
    sent = money_column("amount_sent", "sent_currency", _("amount sent"))
    list_filter = (
        "initiative__edition__programme",
        ("initiative__edition", EditionListFilter),
        "status",
        "condition",
        "has_received_difference",
    )
    list_select_related = ("initiative",)
    export_select_related = ("initiative__lead_organisation", "initiative__edition__programme")
    export_columns = (
        Column("pk", _("ID")),
        Column("initiative.title", _("initiative")),
        Column("initiative.lead_organisation.name", _("organisation")),
        Column("initiative.edition", _("edition")),
        "tranche",
        "amount",
        "currency",
        "condition",
        "due_on",
        "status",
        "paid_on",
        "reference",
        "amount_sent",
        "sent_currency",
        "exchange_rate",
        "fees",
        "amount_received",
        "received_currency",
        "received_on",
        "has_received_difference",
    )
    search_fields = ("reference", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "due_on"
    autocomplete_fields = ("initiative",)
    readonly_fields = (*STATUS_FIELDS, *PAYMENT_FIELDS, *RECEIVED_FIELDS, "cancel_reason")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "initiative",
                    "tranche",
                    ("amount", "currency"),
                    "condition",
                    "due_on",
                    "status",
                )
            },
        ),
        (_("Payment"), {"fields": PAYMENT_FIELDS}),
        (_("Received"), {"fields": RECEIVED_FIELDS}),
        (_("Cancelled"), {"fields": ("cancel_reason",)}),
    )
    inlines = (DisbursementHistoryInline,)
    actions = (record_payments, cancel_tranches)

    @admin.display(description=_("paid to"))
    def paid_to(self, obj) -> str:
        """The verified bank details the payment went to, masked (full on their own page)."""
        payee = obj.payee
        if payee is None:
            return "—"
        return f"{payee.account_holder}, {payee.bank_name}, {payee.masked_account_number}"


class DisbursementStatusChangeAdmin(HistoryAdmin):
    parent = "disbursement"
    status_choices = {"disbursement": DisbursementStatus}
    list_select_related = ("disbursement__initiative", "actor")
    list_filter = (("disbursement__initiative__edition", EditionListFilter), "role")
