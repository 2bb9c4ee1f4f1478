"""A progress report as a PDF: its narrative per line of action, the progress of each
activity, the indicators against their targets, the spending per budget line, the challenges,
lessons and highlights, the files and photos listed, and its status history.

Read from the report's content now (``versions.snapshot``, the same copy its versions keep),
rendered in the reader's language (the labels; what the grantee typed stays as typed) by
``core.pdf``. The caller checks who may read it.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from core.money import format_amount, format_money
from core.pdf import render_pdf
from grants.models import Activity

from .models import Attachment, Report
from .versions import snapshot
from .workflow import ReportStatus


def _when(value) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT") if value else ""


def report_printout_context(report: Report) -> dict:
    """What ``documents/report.html`` shows, read in the active language."""
    report = Report.objects.select_related(
        "initiative__lead_organisation", "initiative__edition"
    ).get(pk=report.pk)
    content = snapshot(report)
    activity_labels = dict(Activity.Status.choices)
    kinds = dict(Attachment.Kind.choices)
    statuses = dict(ReportStatus.choices)
    return {
        "report": report,
        "initiative": report.initiative,
        "status": report.get_status_display(),
        "period": (date_format(report.period_start), date_format(report.period_end)),
        "due_on": date_format(report.due_on),
        "submitted_at": _when(report.submitted_at),
        "currency": content["currency"],
        "narratives": content["narratives"],
        "activities": [
            {**item, "status": activity_labels.get(item["status"], item["status"])}
            for item in content["activities"]
        ],
        "indicators": [
            {**item, "value": format_amount(item["value"]), "target": format_amount(item["target"])}
            for item in content["indicators"]
        ],
        "spending": [
            {
                **item,
                "budget": format_money(item["budget"], content["currency"]),
                "amount": format_money(item["amount"], content["currency"]),
            }
            for item in content["spending"]
        ],
        "challenges": content["challenges"],
        "lessons": content["lessons"],
        "highlights": content["highlights"],
        "attachments": [
            {**item, "kind": kinds.get(item["kind"], item["kind"])}
            for item in content["attachments"]
        ],
        "history": [
            {
                "at": _when(change.created_at),
                "status": str(statuses.get(change.to_status, change.to_status)),
                "actor": str(change.actor or ""),
                "comment": change.comment,
            }
            for change in report.history.select_related("actor").order_by("created_at", "pk")
        ],
    }


def report_pdf(report: Report, *, language: str) -> bytes:
    """The PDF of ``report`` in ``language``."""
    with translation.override(language):
        context = report_printout_context(report)
    return render_pdf("documents/report.html", context, language=language)


def report_filename(report: Report) -> str:
    return f"report-{report.pk}-{report.kind}.pdf"
