"""Status table of progress reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.workflow import Role, Workflow, table


class ReportStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")


R = ReportStatus
S, M = Role.SECRETARIAT, Role.MEMBER

REPORT_WORKFLOW = Workflow(
    name="report",
    label=_("report"),
    status=ReportStatus,
    transitions=table(
        [
            # The first save of a scheduled report turns it into a draft.
            (R.SCHEDULED, R.DRAFT, [M]),
            (R.DRAFT, R.SUBMITTED, [M]),
            (R.SUBMITTED, R.ACCEPTED, [S]),
            (R.SUBMITTED, R.CHANGES_REQUESTED, [S]),
            (R.CHANGES_REQUESTED, R.SUBMITTED, [M]),
        ]
    ),
)
