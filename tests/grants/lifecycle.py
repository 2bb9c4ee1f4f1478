"""Builders for the payment and closing tests, through the real services: a grant awarded from
an edition's tranche plan, its workplan approved, bank details entered by the organisation and
verified by a second member of the secretariat, payments recorded, the final report accepted.

``activate`` signs and countersigns the grant's agreement, which makes an initiative whose
workplan is approved active.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from grants import services
from grants.models import Application, Disbursement, Initiative
from organisations.models import Membership, PayeeDetails
from organisations.services import payee_details_save, payee_details_verify
from programme.models import Edition, ReportKind, TranchePlanLine
from reports.models import Report
from reports.services import report_accept, report_submit
from tests.factories import UserFactory
from tests.grants.factories import applicant, open_edition, reach, secretariat_user
from tests.portal.factories import fill_workplan, saved_report

# Bank details that pass every check (a valid IBAN and BIC).
PAYEE = {
    "account_holder": "Acción Andina",
    "bank_name": "Banco de Crédito",
    "account_number": "DE89 3704 0044 0532 0130 00",
    "swift_bic": "COBADEFFXXX",
    "bank_address": "Unter den Linden 1, Berlin",
    "country": "DE",
    "currency": "EUR",
    "notes": "",
}


def plan(edition: Edition, *lines: tuple[str, str]) -> Edition:
    """Give ``edition`` a tranche plan of (percent, condition) lines."""
    for order, (percent, condition) in enumerate(lines, start=1):
        TranchePlanLine.objects.create(
            edition=edition, order=order, percent=Decimal(percent), condition=condition
        )
    return edition


def award(secretary, edition: Edition | None = None) -> Initiative:
    """A grant of 4,500 USD awarded through the decision service (its tranches and reports
    made by the award)."""
    application = reach("approved", edition or open_edition(), secretary)
    return Initiative.objects.get(application=application)


def grantee(initiative: Initiative):
    """The applicant's member (an administrator of the organisation)."""
    return applicant(Application.objects.get(pk=initiative.application_id))


def approve_workplan(initiative: Initiative, secretary) -> Initiative:
    member = grantee(initiative)
    fill_workplan(initiative, member)
    services.workplan_submit(initiative=initiative, actor=member)
    services.workplan_approve(initiative=initiative, actor=secretary)
    return Initiative.objects.get(pk=initiative.pk)


def activate(initiative: Initiative, secretary=None) -> Initiative:
    """The grant's agreement issued, signed by a signatory of the organisation and
    countersigned: with its workplan approved, the initiative is active (the activation
    service, ``initiative_activate_if_ready``, runs on the countersignature)."""
    secretary = secretary or secretariat_user("countersigns@example.org")
    organisation = initiative.lead_organisation
    signatory = Membership.objects.filter(
        organisation=organisation, role=Membership.Role.SIGNATORY
    ).first()
    if signatory is None:
        user = UserFactory()
        Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.SIGNATORY
        )
    else:
        user = signatory.user
    agreement = services.agreement_issue(initiative=initiative, actor=secretary)
    signed = services.agreement_sign(
        agreement=agreement,
        actor=user,
        full_name="Sam Signatory",
        ip_address=None,
        sha256=agreement.pdf_sha256,
    )
    services.agreement_countersign(agreement=signed, actor=secretary)
    return Initiative.objects.get(pk=initiative.pk)


def verified_details(organisation, *, entered_by, verifier, **values) -> PayeeDetails:
    payee = PayeeDetails.objects.filter(organisation=organisation).first()
    payee = payee_details_save(
        organisation=organisation,
        actor=entered_by,
        values={**PAYEE, **values},
        read_version=payee.version if payee else 0,
    )
    return payee_details_verify(payee=payee, actor=verifier, version=payee.version)


def second_secretary():
    return secretariat_user("verifier@example.org", full_name="Vera Verifier")


def pay(tranche: Disbursement, secretary, **overrides) -> Disbursement:
    values = {
        "paid_on": datetime.date.today(),
        "amount_sent": tranche.amount,
        "currency": tranche.currency,
        "exchange_rate": Decimal("1"),
        "fees": Decimal("0"),
        "reference": "Wire 1",
    }
    values.update(overrides)
    return services.disbursement_mark_paid(disbursement=tranche, actor=secretary, **values)


def accept_final_report(initiative: Initiative, secretary) -> Report:
    member = grantee(initiative)
    report = initiative.reports.get(kind=ReportKind.FINAL)
    report = saved_report(report, member)
    report = report_submit(report=report, actor=member)
    return report_accept(report=report, actor=secretary)
