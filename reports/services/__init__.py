"""Writes about progress reports: scheduling, saving, the review workflow, attachments.

Every status change goes through ``perform_transition`` with ``REPORT_WORKFLOW``. Every save
writes a ``ReportVersion`` (a frozen copy of the content), and carries the ``Report.version``
the person read: a save based on an older version is refused, never applied over someone
else's work.
"""

from .common import ReportContent, ReportError, ReportIncomplete, StaleReport
from .files import attachment_add, attachment_remove
from .review import report_accept, report_request_changes
from .writing import report_problems, report_save, report_submit, schedule_reports

__all__ = [
    "ReportContent",
    "ReportError",
    "ReportIncomplete",
    "StaleReport",
    "attachment_add",
    "attachment_remove",
    "report_accept",
    "report_problems",
    "report_request_changes",
    "report_save",
    "report_submit",
    "schedule_reports",
]
