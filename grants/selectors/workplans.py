"""Reads of a workplan: everything its pages show, in a fixed number of queries."""

from __future__ import annotations

from core.workflow import labelled

from ..models import Initiative, InitiativeStatusChange
from ..services.workplans import SECTIONS, workplan_is_editable
from ..workflow import WorkplanStatus


def workplan_context(initiative: Initiative) -> dict:
    """The whole workplan, in a fixed number of queries."""
    lines = list(initiative.lines_of_action.all())  # each knows ``initiative`` already
    # The rows name their line of action: the lines just read, rather than a join per row
    # that would read the line and its initiative (some sixty columns) again for each.
    activities = _with_lines(initiative.activities.all(), lines)
    budget_lines = _with_lines(initiative.budget_lines.all(), lines)
    indicators = _with_lines(initiative.indicators.all(), lines)
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


def _with_lines(rows, lines) -> list:
    """``rows`` (of the initiative whose ``lines`` these are) with ``line_of_action`` set
    from ``lines``, without a query."""
    by_pk = {line.pk: line for line in lines}
    rows = list(rows)
    for row in rows:
        line = by_pk.get(row.line_of_action_id)
        if line is not None:  # (a line of another initiative, never made, would be read)
            row.line_of_action = line
    return rows
