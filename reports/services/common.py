"""What the report services share: the content a member writes, and helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.workflow import TransitionNotAllowed, lock
from organisations.selectors import is_member, is_secretariat

from ..models import (
    Report,
    ReportStatusChange,
    ReportVersion,
)
from ..versions import snapshot


@dataclass
class ReportContent:
    """What the grantee writes in a report, keyed by the ids of the workplan's rows."""

    narratives: dict[int, str] = field(default_factory=dict)
    # activity id -> {"status", "percent_complete", "note"}
    progress: dict[int, dict] = field(default_factory=dict)
    # indicator id -> {"value", "note"}
    indicators: dict[int, dict] = field(default_factory=dict)
    # budget line id -> {"amount", "note"}
    spending: dict[int, dict] = field(default_factory=dict)
    challenges: str = ""
    lessons: str = ""
    highlights: str = ""


# --- helpers ------------------------------------------------------------------------------------


def record_history(report: Report, **fields) -> ReportStatusChange:
    return ReportStatusChange.objects.create(report=report, **fields)


def lock_report(report: Report) -> Report:
    return lock(report, related=("initiative__lead_organisation",))


def check_member(actor, report: Report) -> None:
    if not is_member(actor, report.initiative.lead_organisation_id):
        raise TransitionNotAllowed(
            _("Only members of the organisation can write or submit its reports.")
        )


def check_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can review reports."))


def notification_context(report: Report, **extra) -> dict:
    return {
        "initiative": report.initiative.title,
        "organisation": report.initiative.lead_organisation.name,
        "report_kind": report.kind,
        **extra,
    }


def last_history(report: Report) -> ReportStatusChange:
    return report.history.order_by("-pk").first()


def new_version(report: Report, actor, fields: tuple[str, ...] = ()) -> ReportVersion:
    """Save ``fields`` of the report with its next version number, and freeze a copy of it
    under that number."""
    report.version += 1
    report.updated_by = actor
    report.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    return ReportVersion.objects.create(
        report=report,
        number=report.version,
        content=snapshot(report),
        status=report.status,
        created_by=actor,
    )
