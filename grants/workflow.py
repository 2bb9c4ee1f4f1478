"""Status tables of applications, initiatives, workplans, payments and grant agreements: who
may take each step."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Role, Workflow, table


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INELIGIBLE = "ineligible", _("Not eligible")
    UNDER_REVIEW = "under_review", _("Under review")
    MORE_INFO = "more_info", _("More information requested")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S, M = Role.SECRETARIAT, Role.MEMBER
A = ApplicationStatus
# Applications reviewers may be given and may score.
IN_REVIEW = (A.UNDER_REVIEW, A.SHORTLISTED)
# Applications that reached the panel (a request for more information can come during review).
RANKED_STATUSES = (A.UNDER_REVIEW, A.SHORTLISTED, A.MORE_INFO, A.APPROVED, A.DECLINED)

APPLICATION_WORKFLOW = Workflow(
    name="application",
    label=_("application"),
    status=ApplicationStatus,
    transitions=table(
        [
            (A.DRAFT, A.SUBMITTED, [M]),
            (A.DRAFT, A.WITHDRAWN, [M]),
            (A.SUBMITTED, A.UNDER_REVIEW, [S]),
            (A.SUBMITTED, A.INELIGIBLE, [S]),
            (A.SUBMITTED, A.MORE_INFO, [S]),
            (A.SUBMITTED, A.WITHDRAWN, [M]),
            (A.MORE_INFO, A.SUBMITTED, [M]),
            (A.MORE_INFO, A.WITHDRAWN, [M]),
            (A.UNDER_REVIEW, A.MORE_INFO, [S]),
            (A.UNDER_REVIEW, A.SHORTLISTED, [S]),
            (A.UNDER_REVIEW, A.APPROVED, [S]),
            (A.UNDER_REVIEW, A.DECLINED, [S]),
            (A.UNDER_REVIEW, A.WITHDRAWN, [M]),
            (A.SHORTLISTED, A.APPROVED, [S]),
            (A.SHORTLISTED, A.DECLINED, [S]),
            (A.SHORTLISTED, A.WITHDRAWN, [M]),
        ]
    ),
)


class InitiativeStatus(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    WORKPLAN_APPROVED = "workplan_approved", _("Workplan approved")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


I = InitiativeStatus  # noqa: E741
# A grant still running: it can be extended or terminated.
RUNNING_INITIATIVES = (I.AWARDED, I.WORKPLAN_APPROVED, I.ACTIVE)

INITIATIVE_WORKFLOW = Workflow(
    name="initiative",
    label=_("initiative"),
    status=InitiativeStatus,
    transitions=table(
        [
            # The workplan service takes this step when the secretariat approves a workplan.
            (I.AWARDED, I.WORKPLAN_APPROVED, [S, Role.SYSTEM]),
            # Once the agreement is countersigned and the workplan approved, whichever comes
            # last (grants.services.agreements.initiative_activate_if_ready).
            (I.WORKPLAN_APPROVED, I.ACTIVE, [S, Role.SYSTEM]),
            # The system completes a grant once its final report is accepted and every tranche
            # is paid or cancelled (grants.services.initiative_complete_if_done).
            (I.ACTIVE, I.COMPLETED, [Role.SYSTEM]),
            (I.AWARDED, I.TERMINATED, [S]),
            (I.WORKPLAN_APPROVED, I.TERMINATED, [S]),
            (I.ACTIVE, I.TERMINATED, [S]),
        ]
    ),
)


class WorkplanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


W = WorkplanStatus

WORKPLAN_WORKFLOW = Workflow(
    name="workplan",
    label=_("workplan"),
    status=WorkplanStatus,
    transitions=table(
        [
            (W.DRAFT, W.SUBMITTED, [M]),
            (W.SUBMITTED, W.APPROVED, [S]),
            (W.SUBMITTED, W.CHANGES_REQUESTED, [S]),
            (W.CHANGES_REQUESTED, W.SUBMITTED, [M]),
            # An approved workplan can be reopened by the secretariat for a revision.
            (W.APPROVED, W.CHANGES_REQUESTED, [S]),
        ]
    ),
)


class DisbursementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PAYABLE = "payable", _("Payable")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


D = DisbursementStatus

DISBURSEMENT_WORKFLOW = Workflow(
    name="disbursement",
    label=_("payment"),
    status=DisbursementStatus,
    transitions=table(
        [
            # A tranche tied to a report becomes payable when that report is accepted.
            (D.PLANNED, D.PAYABLE, [S, Role.SYSTEM]),
            (D.PAYABLE, D.PAID, [S]),
            (D.PLANNED, D.CANCELLED, [S]),
            (D.PAYABLE, D.CANCELLED, [S]),
        ]
    ),
)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued for signature")
    SIGNED = "signed", _("Signed by the organisation")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    VOID = "void", _("Void")


G = AgreementStatus
# A version no longer waiting for anything: it cannot be signed, replaced or voided.
AGREEMENT_FINAL = (G.COUNTERSIGNED, G.VOID)

AGREEMENT_WORKFLOW = Workflow(
    name="agreement",
    label=_("agreement"),
    status=AgreementStatus,
    transitions=table(
        [
            # Each version is drawn up and issued in one step by the secretariat.
            (G.DRAFT, G.ISSUED, [S]),
            # The organisation's signatory accepts it in the portal, or sends a signed scan.
            (G.ISSUED, G.SIGNED, [M]),
            (G.SIGNED, G.COUNTERSIGNED, [S]),
            # Issuing a new version voids the one before, signed by the organisation or not,
            # as long as the secretariat has not countersigned it.
            (G.ISSUED, G.VOID, [S]),
            (G.SIGNED, G.VOID, [S]),
        ]
    ),
)


# --- the light track (small grants: one form, one decision, one payment, one report) --------


class LightStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email not confirmed")
    RECEIVED = "received", _("Received")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


L = LightStatus

LIGHT_APPLICATION_WORKFLOW = Workflow(
    name="light_application",
    label=_("small-grant application"),
    status=LightStatus,
    transitions=table(
        [
            # The applicant follows the link emailed to them: the application reaches the list.
            (L.UNCONFIRMED, L.RECEIVED, [M]),
            # One member of the secretariat decides, in bulk from the list.
            (L.RECEIVED, L.APPROVED, [S]),
            (L.RECEIVED, L.DECLINED, [S]),
        ]
    ),
    notes=(
        "Small grants of a light-track edition (`Edition.track`). The applicant has no account: "
        "the links emailed to them carry a signed token. Approval plans the grant's one "
        "payment (the light payment table) and the one-page report (the light report table)."
    ),
)


class LightPaymentStatus(models.TextChoices):
    NONE = "none", _("Not planned")
    PAYABLE = "payable", _("Payable")
    IN_FILE = "in_file", _("In a payment file")
    PAID = "paid", _("Paid")


P = LightPaymentStatus

LIGHT_PAYMENT_WORKFLOW = Workflow(
    name="light_payment",
    label=_("small-grant payment"),
    status=LightPaymentStatus,
    transitions=table(
        [
            # The one tranche is planned when the application is approved.
            (P.NONE, P.PAYABLE, [Role.SYSTEM]),
            # The secretariat puts it in a payment file for the bank...
            (P.PAYABLE, P.IN_FILE, [S]),
            # ...and records it paid once the bank confirms (one by one or from its return
            # file). A paid grant is never paid again.
            (P.IN_FILE, P.PAID, [S]),
        ]
    ),
)


class LightReportStatus(models.TextChoices):
    NOT_DUE = "not_due", _("Not due")
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


R = LightReportStatus

LIGHT_REPORT_WORKFLOW = Workflow(
    name="light_report",
    label=_("one-page report"),
    status=LightReportStatus,
    transitions=table(
        [
            # Approval schedules the report, due after the day of action.
            (R.NOT_DUE, R.DUE, [Role.SYSTEM]),
            (R.DUE, R.SUBMITTED, [M]),
            (R.SUBMITTED, R.ACCEPTED, [S]),
            (R.SUBMITTED, R.CHANGES_REQUESTED, [S]),
            (R.CHANGES_REQUESTED, R.SUBMITTED, [M]),
        ]
    ),
)
