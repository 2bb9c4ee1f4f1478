"""Writes of the grants app, one module per topic, exported here:

- ``applications``: an application's status changes (submit, withdraw, screen, ask for more
  information, shortlist) and the rules they share (eligibility, completeness, the deadline);
- ``drafts``: starting and writing an application, its documents;
- ``review``: assigning reviewers, conflicts of interest, scores;
- ``awards``: decisions, and the award of the grant (the initiative, its tranches);
- ``workplans``: editing, submitting and reviewing an initiative's workplan;
- ``payments``: tranches becoming payable, payments recorded, the amount received confirmed;
- ``agreements``: the grant agreement's versions, signature and countersignature, and the
  initiative's activation;
- ``closing``: completing a grant (the system), terminating or extending it, cancelling a
  tranche;
- ``light``: the light track's small grants, from the one-page form to the one-page report
  (imported from ``grants.services.light``).
- ``imports``: the grants of past editions the secretariat enters from a spreadsheet.
"""

from .agreements import (
    agreement_countersign,
    agreement_issue,
    agreement_sign,
    agreement_upload_signed_scan,
    initiative_activate_if_ready,
)
from .applications import (
    application_request_more_info,
    application_screen,
    application_shortlist,
    application_submit,
    application_withdraw,
    call_closed_message,
    completeness_errors,
    eligibility_failures,
)
from .awards import (
    Decision,
    application_approve,
    application_decline,
    applications_decide,
    initiative_award,
    tranches,
)
from .closing import (
    disbursement_cancel,
    initiative_complete_if_done,
    initiative_extend,
    initiative_terminate,
)
from .drafts import (
    EDITABLE_FIELDS,
    application_start,
    application_update,
    application_update_eligibility,
    attachment_add,
    attachment_delete,
)
from .imports import PAST_STATUSES, initiative_record_past
from .payments import (
    disbursement_confirm_received,
    disbursement_mark_paid,
    disbursements_release,
    payment_problems,
    received_differs,
)
from .review import (
    AssignmentResult,
    conflict_declare,
    recuse_members,
    review_save,
    reviewers_assign,
)
from .workplans import (
    SECTIONS,
    budget_total,
    public_lines_refresh,
    section_version,
    workplan_approve,
    workplan_is_editable,
    workplan_problems,
    workplan_request_changes,
    workplan_section_save,
    workplan_submit,
)

__all__ = [
    "EDITABLE_FIELDS",
    "PAST_STATUSES",
    "SECTIONS",
    "AssignmentResult",
    "Decision",
    "agreement_countersign",
    "agreement_issue",
    "agreement_sign",
    "agreement_upload_signed_scan",
    "application_approve",
    "application_decline",
    "application_request_more_info",
    "application_screen",
    "application_shortlist",
    "application_start",
    "application_submit",
    "application_update",
    "application_update_eligibility",
    "application_withdraw",
    "applications_decide",
    "attachment_add",
    "attachment_delete",
    "budget_total",
    "public_lines_refresh",
    "call_closed_message",
    "completeness_errors",
    "conflict_declare",
    "disbursement_cancel",
    "disbursement_confirm_received",
    "disbursement_mark_paid",
    "disbursements_release",
    "eligibility_failures",
    "initiative_activate_if_ready",
    "initiative_award",
    "initiative_complete_if_done",
    "initiative_extend",
    "initiative_record_past",
    "initiative_terminate",
    "payment_problems",
    "received_differs",
    "recuse_members",
    "review_save",
    "reviewers_assign",
    "tranches",
    "section_version",
    "workplan_approve",
    "workplan_is_editable",
    "workplan_problems",
    "workplan_request_changes",
    "workplan_section_save",
    "workplan_submit",
]
