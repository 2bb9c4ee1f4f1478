"""An organisation's payments in the portal: its bank details (entered by its administrators
and signatories, shown masked, every version kept) and the confirmation of the amount a paid
tranche brought to its account."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import read_version
from core.views import held_post, login_required_keeping_input, release_held_post
from grants.models import Disbursement
from grants.services import disbursement_confirm_received
from grants.workflow import DisbursementStatus
from organisations.errors import StalePayeeDetails
from organisations.selectors import can_manage_payee, member_organisations, payee_details_of
from organisations.services import payee_details_save

from ..forms.payments import PayeeDetailsForm, ReceivedForm


def _add_errors(form, error: DomainError) -> None:
    for field, message in error.errors.items():
        form.add_error(field if field in form.fields else None, message)


@login_required_keeping_input
def payee_details(request, pk: int):
    """Every member reads the bank details (masked) and their history; administrators and
    signatories change them. A save on a stale copy is refused and what was typed shown back."""
    organisation = get_object_or_404(member_organisations(request.user), pk=pk)
    payee = payee_details_of(organisation)
    current = payee.current if payee else None
    can_edit = can_manage_payee(request.user, organisation)
    if request.method == "POST" and not can_edit:
        messages.error(
            request,
            _(
                "Only an administrator or a signatory of the organisation can change its bank "
                "details."
            ),
        )
        return redirect("portal:payee", pk=organisation.pk)
    form = None
    status = 200
    saved_now = None
    if can_edit:
        data = request.POST if request.method == "POST" else held_post(request)
        form = PayeeDetailsForm(data, current=current, version=payee.version if payee else 0)
    if request.method == "POST" and form.is_valid():
        before = payee.version if payee else 0
        try:
            saved = payee_details_save(
                organisation=organisation,
                actor=request.user,
                values=form.cleaned_data,
                read_version=read_version(form.cleaned_data),
            )
        except StalePayeeDetails as error:
            # Refused, not lost: the text typed stays in the form, now carrying the current
            # version, beside what is saved now.
            messages.error(request, error.message)
            payee = payee_details_of(organisation)
            current = payee.current
            saved_now = current
            typed = request.POST.copy()
            typed["version"] = str(payee.version)
            form = PayeeDetailsForm(typed, current=current, version=payee.version)
            status = 409
        except DomainError as error:
            messages.error(request, error.message)
            _add_errors(form, error)
        else:
            release_held_post(request)
            if saved.version != before:
                messages.success(
                    request,
                    _(
                        "The bank details were saved. The secretariat verifies them before the "
                        "next payment."
                    ),
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("portal:payee", pk=organisation.pk)
    versions = list(payee.versions.select_related("created_by", "verified_by")) if payee else []
    return render(
        request,
        "portal/payee.html",
        {
            "organisation": organisation,
            "current": current,
            "form": form,
            "can_edit": can_edit,
            "saved_now": saved_now,
            "versions": versions,
        },
        status=status,
    )


@login_required_keeping_input
def payment_received(request, pk: int):
    """A member confirms what a paid tranche brought to the organisation's account (once)."""
    disbursement = get_object_or_404(
        Disbursement.objects.select_related("initiative__lead_organisation", "initiative__edition"),
        pk=pk,
        initiative__lead_organisation__in=member_organisations(request.user),
    )
    can_confirm = (
        disbursement.status == DisbursementStatus.PAID and not disbursement.is_received_confirmed
    )
    if request.method == "POST" and not can_confirm:
        messages.error(
            request,
            _("The amount received for this tranche was confirmed already.")
            if disbursement.is_received_confirmed
            else _("This tranche has not been paid yet."),
        )
        return redirect("portal:payment_received", pk=disbursement.pk)
    form = None
    if can_confirm:
        data = request.POST if request.method == "POST" else held_post(request)
        form = ReceivedForm(
            data,
            initial={
                "amount": disbursement.amount_sent,
                "currency": disbursement.sent_currency,
                "received_on": timezone.localdate(),
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = disbursement_confirm_received(
                disbursement=disbursement, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
            _add_errors(form, error)
        else:
            release_held_post(request)
            if confirmed.has_received_difference:
                messages.warning(
                    request,
                    _(
                        "Thank you. The amount differs from what was sent: the secretariat is "
                        "told and will look into it."
                    ),
                )
            else:
                messages.success(request, _("Thank you: the amount received is recorded."))
            return redirect("portal:payment_received", pk=disbursement.pk)
    return render(
        request,
        "portal/payment_received.html",
        {"disbursement": disbursement, "initiative": disbursement.initiative, "form": form},
    )
