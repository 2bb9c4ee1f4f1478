"""Reads of a workplan: everything its pages show, in a fixed number of queries."""

from __future__ import annotations

from core.workflow import labelled

from ..models import Initiative, InitiativeStatusChange
from ..services.workplans import SECTIONS, workplan_is_editable
from ..workflow import WorkplanStatus


def workplan_context(initiative: Initiative) -> dict:
    """The whole workplan, in a fixed number of queries."""
    lines = list(initiative.lines_of_action.all())
    activities = list(initiative.activities.select_related("line_of_action__initiative"))
    budget_lines = list(initiative.budget_lines.select_related("line_of_action__initiative"))
    indicators = list(initiative.indicators.select_related("line_of_action__initiative"))
    total = sum((line.amount for line in budget_lines), 0)
    history = labelled(
        InitiativeStatusChange.objects.filter(initiative=initiative, workflow="workplan")
        .select_related("actor")
        .order_by("-created_at", "-pk"),
        WorkplanStatus,
    )
    return {
        "initiative": initiative,
        "lines": lines,
        "activities": activities,
        "budget_lines": budget_lines,
        "indicators": indicators,
        "budget_total": total,
        "budget_left": initiative.amount_awarded - total,
        "budget_over": max(total - initiative.amount_awarded, 0),
        "history": history,
        "last_request": next(
            (row for row in history if row.to_status == "changes_requested"), None
        ),
        "is_editable": workplan_is_editable(initiative),
        "sections": SECTIONS,
    }
