"""Writes about progress reports, one module per topic, exported here:

- ``writing``: scheduling an initiative's reports, saving what members write, submitting;
- ``review``: the secretariat accepts a report or asks for changes per section;
- ``files``: files and photos attached to a report;
- ``results``: what the public page of an initiative shows of its accepted final report;
- ``reminders``: the daily scan that reminds grantees of reports due and overdue, and the
  secretariat's 'Send a reminder now'.

Every status change goes through ``perform_transition`` with ``REPORT_WORKFLOW``. Every save
writes a ``ReportVersion`` (a frozen copy of the content), and carries the ``Report.version``
the person read: a save based on an older version is refused, never applied over someone
else's work.
"""

from ..errors import ReportError, ReportIncomplete, StaleReport
from .common import ReportContent
from .files import attachment_add, attachment_remove
from .reminders import reminder_scan, reminders_send, report_remind_now
from .results import can_publish_results, results_publish
from .review import report_accept, report_request_changes
from .writing import (
    report_problems,
    report_save,
    report_submit,
    reports_extend,
    schedule_reports,
)

__all__ = [
    "ReportContent",
    "ReportError",
    "ReportIncomplete",
    "StaleReport",
    "attachment_add",
    "attachment_remove",
    "can_publish_results",
    "reminder_scan",
    "reminders_send",
    "report_remind_now",
    "report_accept",
    "report_problems",
    "report_request_changes",
    "report_save",
    "report_submit",
    "results_publish",
    "reports_extend",
    "schedule_reports",
]
