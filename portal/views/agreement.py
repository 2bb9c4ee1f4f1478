"""The grant agreement in the portal: every member reads the current version (and its PDF);
a signatory of the organisation signs it, typing their name, or sends a signed scan. Someone
who is not a signatory of the organisation gets a 404 from the signing addresses, whatever the
method, and nothing is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import private_file_response
from core.network import client_ip
from core.views import login_required_keeping_input, post_only
from grants import services
from grants.models import Agreement
from grants.selectors.agreements import agreement_versions, current_agreement
from organisations.selectors import (
    is_secretariat,
    is_signatory,
    member_organisations,
    organisation_signatories,
    signatory_organisations,
)

from ..forms.agreement import AgreementScanForm, AgreementSignForm
from .access import get_initiative


def _page(request, initiative, *, sign_form=None, scan_form=None, status: int = 200):
    versions = agreement_versions(initiative)
    current = current_agreement(versions)
    organisation = initiative.lead_organisation
    can_sign = (
        current is not None and current.is_signable and is_signatory(request.user, organisation.pk)
    )
    if can_sign:
        initial = {"sha256": current.pdf_sha256}
        sign_form = sign_form or AgreementSignForm(
            initial={**initial, "full_name": request.user.full_name},
            agreement=current,
            organisation=organisation.name,
        )
        scan_form = scan_form or AgreementScanForm(initial=initial, agreement=current)
    return render(
        request,
        "portal/agreement.html",
        {
            "initiative": initiative,
            "organisation": organisation,
            "agreement": current,
            "earlier": [a for a in versions if a is not current],
            "can_sign": can_sign,
            "sign_form": sign_form if can_sign else None,
            "scan_form": scan_form if can_sign else None,
            "signatories": list(organisation_signatories(organisation)),
        },
        status=status,
    )


@login_required_keeping_input
def agreement(request, pk: int):
    """The agreement of initiative ``pk`` (members and the secretariat)."""
    return _page(request, get_initiative(request, pk))


def _to_sign(request, pk: int) -> Agreement:
    """Agreement ``pk``, if the person may sign for its organisation; else 404."""
    queryset = Agreement.objects.select_related(
        "initiative__lead_organisation", "initiative__edition"
    ).filter(initiative__lead_organisation__in=signatory_organisations(request.user))
    return get_object_or_404(queryset, pk=pk)


def _done(request, agreement: Agreement):
    messages.success(
        request,
        _("You signed version %(version)s of the agreement. The secretariat will countersign it.")
        % {"version": agreement.version},
    )
    return redirect("portal:agreement", pk=agreement.initiative_id)


@login_required_keeping_input(hold=False)
def agreement_sign(request, pk: int):
    agreement = _to_sign(request, pk)
    if refused := post_only(request):
        return refused
    initiative = agreement.initiative
    form = AgreementSignForm(
        request.POST, agreement=agreement, organisation=initiative.lead_organisation.name
    )
    if form.is_valid():
        try:
            signed = services.agreement_sign(
                agreement=agreement,
                actor=request.user,
                full_name=form.cleaned_data["full_name"],
                ip_address=client_ip(request),
                sha256=form.cleaned_data["sha256"],
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                # A void or changed version: the page shows the version to read now.
                messages.error(request, error.message)
                return redirect("portal:agreement", pk=initiative.pk)
        else:
            return _done(request, signed)
    return _page(request, initiative, sign_form=form, status=400)


@login_required_keeping_input(hold=False)
def agreement_scan(request, pk: int):
    agreement = _to_sign(request, pk)
    if refused := post_only(request):
        return refused
    initiative = agreement.initiative
    form = AgreementScanForm(request.POST, request.FILES, agreement=agreement)
    if form.is_valid():
        try:
            signed = services.agreement_upload_signed_scan(
                agreement=agreement,
                actor=request.user,
                file=form.cleaned_data["file"],
                ip_address=client_ip(request),
                sha256=form.cleaned_data["sha256"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("portal:agreement", pk=initiative.pk)
        return _done(request, signed)
    return _page(request, initiative, scan_form=form, status=400)


@login_required_keeping_input
def agreement_pdf(request, pk: int):
    """The PDF of a version, as issued (members of the organisation and the secretariat)."""
    queryset = Agreement.objects.all()
    if not is_secretariat(request.user):
        queryset = queryset.filter(
            initiative__lead_organisation__in=member_organisations(request.user)
        )
    agreement = get_object_or_404(queryset, pk=pk)
    return private_file_response(
        agreement.pdf, filename=agreement.filename, content_type="application/pdf"
    )
