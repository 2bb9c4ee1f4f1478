"""Scheduling reports, saving what members write, and submitting."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workflow import Role, lock_for_transition, perform_transition
from grants.models import Activity, Initiative
from notifications.services import notify_many
from organisations.selectors import secretariat_users
from programme.models import ReportKind
from programme.notifications import sender_of

from .. import notifications as kinds
from ..errors import ReportError, ReportIncomplete, StaleReport
from ..models import (
    ActivityProgress,
    IndicatorValue,
    Narrative,
    Report,
    ReportSection,
    Spending,
)
from ..workflow import REPORT_WORKFLOW, ReportStatus
from .common import (
    ReportContent,
    check_member,
    last_history,
    lock_report,
    new_version,
    notification_context,
    record_history,
)

# --- scheduling ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_reports(*, initiative: Initiative) -> list[Report]:
    """Create the reports an awarded initiative owes, from its edition's reporting plan
    (``Edition.reporting_plan``: the edition's schedule, or an interim report at mid-period and
    a final one 30 days after the end). Runs when a grant is awarded (a ``grants.hooks`` award
    hook). Safe to call again: a report that exists (same kind and period start) is kept as it
    is. Returns the initiative's reports from the plan.
    """
    plan = initiative.edition.reporting_plan(initiative.period_start, initiative.period_end)
    reports = []
    for kind, period_start, period_end, due_on in plan:
        report, _created = Report.objects.get_or_create(
            initiative=initiative,
            kind=kind,
            period_start=period_start,
            defaults={"period_end": period_end, "due_on": due_on},
        )
        reports.append(report)
    return reports


# Reports the grantee has not handed in yet: a no-cost extension moves their due dates.
NOT_SUBMITTED = (ReportStatus.SCHEDULED, ReportStatus.DRAFT)


@transaction.atomic
def reports_extend(
    *, initiative: Initiative, old_end: datetime.date, new_end: datetime.date
) -> int:
    """After a no-cost extension of ``initiative`` (a ``grants.hooks`` extension hook): the
    reports not submitted yet are due later by the length of the extension, and a final report
    whose period ended with the grant now ends with it. Submitted and accepted reports keep
    their dates. Returns the number of reports moved."""
    waiting = Report.objects.filter(initiative=initiative, status__in=NOT_SUBMITTED)
    Report.objects.filter(
        pk__in=waiting.filter(kind=ReportKind.FINAL, period_end=old_end).values("pk")
    ).update(period_end=new_end)
    return waiting.update(due_on=F("due_on") + (new_end - old_end))


# --- writing ------------------------------------------------------------------------------------


@transaction.atomic
def report_save(*, report: Report, actor, content: ReportContent, read_version: int) -> Report:
    """Save what a member wrote in a report, as a draft, and freeze a copy of it.

    ``read_version`` is the ``Report.version`` the form was opened at: when someone saved since,
    ``StaleReport`` is raised and nothing changes (the caller shows the person their text
    back). The first save of a scheduled report makes it a draft. Only members of the lead
    organisation may save, and only before submission or when changes were requested
    (``ReportError``). Rows may only refer to the initiative's own workplan.
    """
    locked = lock_report(report)
    check_member(actor, locked)
    if not locked.is_editable:
        raise ReportError(
            _("This report is %(status)s: it can no longer be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    if locked.version != read_version:
        raise StaleReport(
            _(
                "Someone else saved this report while you were editing it, so your changes "
                "were not saved. Your text is shown below: compare it with theirs, then save "
                "again."
            )
        )
    if locked.status == ReportStatus.SCHEDULED:
        locked = perform_transition(
            obj=locked,
            workflow=REPORT_WORKFLOW,
            target=ReportStatus.DRAFT,
            actor=actor,
            role=Role.MEMBER,
            history=record_history,
        )
    _write_parts(locked, content)
    locked.challenges = content.challenges
    locked.lessons = content.lessons
    locked.highlights = content.highlights
    locked.language = actor.language or settings.LANGUAGE_CODE
    new_version(locked, actor, ("challenges", "lessons", "highlights", "language"))
    return locked


def _write_parts(report: Report, content: ReportContent) -> None:
    initiative = report.initiative
    allowed = {
        "lines": set(initiative.lines_of_action.values_list("pk", flat=True)),
        "activities": set(initiative.activities.values_list("pk", flat=True)),
        "indicators": set(initiative.indicators.values_list("pk", flat=True)),
        "budget": set(initiative.budget_lines.values_list("pk", flat=True)),
    }
    parts = (
        ("lines", content.narratives),
        ("activities", content.progress),
        ("indicators", content.indicators),
        ("budget", content.spending),
    )
    for key, rows in parts:
        if not set(rows) <= allowed[key]:
            raise ReportError(_("The workplan changed meanwhile: reload the page."))
    # One statement per part whatever the number of rows (PostgreSQL's ON CONFLICT).
    upsert = {"update_conflicts": True}
    Narrative.objects.bulk_create(
        [
            Narrative(report=report, line_of_action_id=k, text=v)
            for k, v in content.narratives.items()
        ],
        unique_fields=["report", "line_of_action"],
        update_fields=["text"],
        **upsert,
    )
    ActivityProgress.objects.bulk_create(
        [
            ActivityProgress(
                report=report,
                activity_id=k,
                status=v.get("status") or Activity.Status.PLANNED,
                percent_complete=v.get("percent_complete") or 0,
                note=v.get("note", ""),
            )
            for k, v in content.progress.items()
        ],
        unique_fields=["report", "activity"],
        update_fields=["status", "percent_complete", "note"],
        **upsert,
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                report=report, indicator_id=k, value=v.get("value"), note=v.get("note", "")
            )
            for k, v in content.indicators.items()
        ],
        unique_fields=["report", "indicator"],
        update_fields=["value", "note"],
        **upsert,
    )
    Spending.objects.bulk_create(
        [
            Spending(
                report=report,
                budget_line_id=k,
                amount=v.get("amount") or Decimal("0"),
                note=v.get("note", ""),
            )
            for k, v in content.spending.items()
        ],
        unique_fields=["report", "budget_line"],
        update_fields=["amount", "note"],
        **upsert,
    )


def report_problems(report: Report) -> dict[str, str]:
    """What keeps the report from being submitted, by section (empty when complete)."""
    initiative = report.initiative
    problems: dict[str, str] = {}

    def names(rows) -> str:
        return ", ".join(f"“{row}”" for row in rows)

    written = {n.line_of_action_id for n in report.narratives.all() if n.text.strip()}
    missing = [line for line in initiative.lines_of_action.all() if line.pk not in written]
    if missing:
        problems[ReportSection.NARRATIVES] = _("Write the narrative of %(lines)s.") % {
            "lines": names(missing)
        }
    reported = set(report.activity_progress.values_list("activity_id", flat=True))
    missing = [a for a in initiative.activities.all() if a.pk not in reported]
    if missing:
        problems[ReportSection.ACTIVITIES] = _("Give the progress of %(rows)s.") % {
            "rows": names(missing)
        }
    valued = set(
        report.indicator_values.filter(value__isnull=False).values_list("indicator_id", flat=True)
    )
    missing = [i for i in initiative.indicators.all() if i.pk not in valued]
    if missing:
        problems[ReportSection.INDICATORS] = _("Give the value reached for %(rows)s.") % {
            "rows": names(missing)
        }
    spent = set(report.spending.values_list("budget_line_id", flat=True))
    missing = [b for b in initiative.budget_lines.all() if b.pk not in spent]
    if missing:
        problems[ReportSection.SPENDING] = _("Give the spending of %(rows)s.") % {
            "rows": names(missing)
        }
    if not report.challenges.strip():
        problems[ReportSection.CHALLENGES] = _("Describe the challenges you met.")
    if not report.lessons.strip():
        problems[ReportSection.LESSONS] = _("Share the lessons you learned.")
    return problems


@transaction.atomic
def report_submit(*, report: Report, actor) -> Report:
    """A member sends the saved report to the secretariat (first time or again after changes
    were requested), and a copy of it as submitted is frozen.

    Refused with ``ReportIncomplete`` (``problems`` per section) while a required section is
    empty: every line of action's narrative, the progress of every activity, a value for every
    indicator, the spending of every budget line, the challenges and the lessons. The
    secretariat is notified after commit.
    """
    locked = lock_for_transition(
        report,
        workflow=REPORT_WORKFLOW,
        target=ReportStatus.SUBMITTED,
        role=Role.MEMBER,
        related=("initiative__lead_organisation",),
    )
    check_member(actor, locked)
    problems = report_problems(locked)
    if problems:
        raise ReportIncomplete(
            _("The report is not complete yet: %(count)s sections need your attention.")
            % {"count": len(problems)},
            problems,
        )
    locked = perform_transition(
        obj=locked,
        workflow=REPORT_WORKFLOW,
        target=ReportStatus.SUBMITTED,
        actor=actor,
        role=Role.MEMBER,
        history=record_history,
        changes={"submitted_at": timezone.now()},
    )
    locked = lock_report(locked)
    new_version(locked, actor)
    notify_many(
        recipients=secretariat_users(),
        kind=kinds.REPORT_SUBMITTED,
        sender=sender_of(locked.initiative.edition),
        key=f"report:{locked.pk}:submitted:{last_history(locked).pk}",
        context=notification_context(locked),
        url_name="secretariat:report_review",
        url_kwargs={"pk": locked.pk},
    )
    return locked
