"""Forms of the grantee portal: reports, attachments, workplans and the secretariat's review."""

from .report import AttachmentForm, ReportForm, ReportReviewForm
from .workplan import SECTION_FORMSETS, WorkplanReviewForm, workplan_formset

__all__ = [
    "SECTION_FORMSETS",
    "AttachmentForm",
    "ReportForm",
    "ReportReviewForm",
    "WorkplanReviewForm",
    "workplan_formset",
]
