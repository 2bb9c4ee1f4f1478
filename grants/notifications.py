"""The notifications the grants app sends, registered with the notifications app when the app
loads (``GrantsConfig.ready``). Templates: ``templates/emails/<key>/``."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind

APPLICATION = ("title", "organisation")

APPLICATION_RECEIVED = NotificationKind(
    "application_received", _("Application received"), (*APPLICATION, "edition")
)
APPLICATION_RECEIVED_SECRETARIAT = NotificationKind(
    "application_received_secretariat",
    _("New application (secretariat)"),
    (*APPLICATION, "edition"),
)
MORE_INFO_REQUESTED = NotificationKind(
    "more_info_requested", _("More information requested"), (*APPLICATION, "comment")
)
APPLICATION_INELIGIBLE = NotificationKind(
    "application_ineligible", _("Application not eligible"), (*APPLICATION, "comment")
)
APPLICATION_WITHDRAWN = NotificationKind(
    "application_withdrawn", _("Application withdrawn (secretariat)"), (*APPLICATION, "comment")
)
APPLICATION_DECISION = NotificationKind(
    "application_decision",
    _("Decision on an application"),
    (*APPLICATION, "decision", "amount", "currency", "message"),
    amounts=("amount",),
)
WORKPLAN_SUBMITTED = NotificationKind(
    "workplan_submitted", _("Workplan submitted (secretariat)"), ("initiative", "organisation")
)
WORKPLAN_APPROVED = NotificationKind(
    "workplan_approved", _("Workplan approved"), ("initiative", "organisation", "comment")
)
WORKPLAN_CHANGES_REQUESTED = NotificationKind(
    "workplan_changes_requested",
    _("Changes requested to a workplan"),
    ("initiative", "organisation", "comment"),
)
DISBURSEMENT_PAID = NotificationKind(
    "disbursement_paid",
    _("Payment made"),
    ("initiative", "organisation", "tranche", "amount", "currency", "paid_on"),
    dates=("paid_on",),
    amounts=("amount",),
)

DISBURSEMENT_CANCELLED = NotificationKind(
    "disbursement_cancelled",
    _("Tranche cancelled"),
    ("initiative", "organisation", "tranche", "amount", "currency", "reason"),
    amounts=("amount",),
)
PAYMENT_RECEIVED_DIFFERENCE = NotificationKind(
    "payment_received_difference",
    _("Amount received differs from the payment (secretariat)"),
    (
        "initiative",
        "organisation",
        "tranche",
        "amount_sent",
        "sent_currency",
        "amount_received",
        "received_currency",
    ),
    amounts=("amount_sent", "amount_received"),
)
INITIATIVE_COMPLETED = NotificationKind(
    "initiative_completed", _("Grant completed"), ("initiative", "organisation")
)
INITIATIVE_TERMINATED = NotificationKind(
    "initiative_terminated", _("Grant terminated"), ("initiative", "organisation", "reason")
)
INITIATIVE_EXTENDED = NotificationKind(
    "initiative_extended",
    _("No-cost extension of a grant"),
    ("initiative", "organisation", "old_end", "new_end", "reason"),
    dates=("old_end", "new_end"),
)
AGREEMENT_ISSUED = NotificationKind(
    "agreement_issued", _("Grant agreement to sign"), ("initiative", "organisation")
)
AGREEMENT_SIGNED = NotificationKind(
    "agreement_signed",
    _("Grant agreement signed (secretariat)"),
    ("initiative", "organisation", "name"),
)
AGREEMENT_COUNTERSIGNED = NotificationKind(
    "agreement_countersigned", _("Grant agreement countersigned"), ("initiative", "organisation")
)


def _decline_reason(context) -> dict:
    """The reason for declining a small grant, in the reader's language (active here)."""
    from .models import LightDeclineReason

    if not context.get("reason_id"):
        return {"reason": ""}  # an approval
    reason = LightDeclineReason.objects.filter(pk=context["reason_id"]).first()
    return {"reason": reason.text if reason else ""}


LIGHT_CONFIRM_EMAIL = NotificationKind(
    "light_confirm_email",
    _("Confirm the email address of a small-grant application"),
    ("group", "edition"),
    sensitive=True,
)
LIGHT_DECISION = NotificationKind(
    "light_decision",
    _("Decision on a small-grant application"),
    ("group", "edition", "approved", "amount", "currency", "reason_id"),
    amounts=("amount",),
    more_context=_decline_reason,
    sensitive=True,
)
LIGHT_PAID = NotificationKind(
    "light_paid",
    _("Small grant paid"),
    ("group", "amount", "currency", "paid_on"),
    dates=("paid_on",),
    amounts=("amount",),
    sensitive=True,
)
LIGHT_REPORT_REMINDER = NotificationKind(
    "light_report_reminder",
    _("Reminder of a one-page report"),
    ("group", "due_on", "overdue"),
    dates=("due_on",),
    sensitive=True,
)
LIGHT_REPORT_CHANGES = NotificationKind(
    "light_report_changes",
    _("Changes requested to a one-page report"),
    ("group", "comment"),
    sensitive=True,
)

KINDS = (
    APPLICATION_RECEIVED,
    APPLICATION_RECEIVED_SECRETARIAT,
    MORE_INFO_REQUESTED,
    APPLICATION_INELIGIBLE,
    APPLICATION_WITHDRAWN,
    APPLICATION_DECISION,
    WORKPLAN_SUBMITTED,
    WORKPLAN_APPROVED,
    WORKPLAN_CHANGES_REQUESTED,
    DISBURSEMENT_PAID,
    DISBURSEMENT_CANCELLED,
    PAYMENT_RECEIVED_DIFFERENCE,
    INITIATIVE_COMPLETED,
    INITIATIVE_TERMINATED,
    INITIATIVE_EXTENDED,
    AGREEMENT_ISSUED,
    AGREEMENT_SIGNED,
    AGREEMENT_COUNTERSIGNED,
    LIGHT_CONFIRM_EMAIL,
    LIGHT_DECISION,
    LIGHT_PAID,
    LIGHT_REPORT_REMINDER,
    LIGHT_REPORT_CHANGES,
)
