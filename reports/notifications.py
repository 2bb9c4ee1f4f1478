"""The notifications the reports app sends, registered with the notifications app when the app
loads (``ReportsConfig.ready``). Templates: ``templates/emails/<key>/``."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind

REPORT_LABELS = {"interim": _("interim report"), "final": _("final report")}


def report_label(context) -> dict:
    """The report's kind as words, in the reader's language."""
    kind = context.get("report_kind", "")
    return {"report_label": REPORT_LABELS.get(kind, kind)}


REPORT = ("initiative", "organisation", "report_kind")


def report_kind(key: str, label, *more: str, dates=()) -> NotificationKind:
    return NotificationKind(key, label, (*REPORT, *more), dates=dates, more_context=report_label)


REPORT_DUE_14 = report_kind(
    "report_due_14", _("Report due in 14 days"), "due_on", dates=("due_on",)
)
REPORT_DUE_3 = report_kind("report_due_3", _("Report due in 3 days"), "due_on", dates=("due_on",))
REPORT_OVERDUE = report_kind("report_overdue", _("Report overdue"), "due_on", dates=("due_on",))
# "Send a reminder now": the secretariat reminds the organisation of a report due or overdue.
REPORT_REMINDER = report_kind(
    "report_reminder",
    _("Report reminder from the secretariat"),
    "due_on",
    "overdue",
    dates=("due_on",),
)
REPORT_SUBMITTED = report_kind("report_submitted", _("Report submitted (secretariat)"))
REPORT_ACCEPTED = report_kind("report_accepted", _("Report accepted"), "comment")
REPORT_CHANGES_REQUESTED = report_kind(
    "report_changes_requested", _("Changes requested to a report"), "comment"
)

KINDS = (
    REPORT_DUE_14,
    REPORT_DUE_3,
    REPORT_OVERDUE,
    REPORT_REMINDER,
    REPORT_SUBMITTED,
    REPORT_ACCEPTED,
    REPORT_CHANGES_REQUESTED,
)
