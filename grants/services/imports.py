"""Grants of past editions entered from a spreadsheet (the secretariat's import).

A past grant never went through this application's workflow: it is recorded as it ended
(completed or terminated), with one history row saying so, who recorded it and when, instead
of steps nobody took. The grants of current editions are made by the award only.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.workflow import Role
from programme.models import Theme

from ..errors import InitiativeError
from ..models import Initiative, InitiativeStatusChange
from ..workflow import INITIATIVE_WORKFLOW, InitiativeStatus, WorkplanStatus

# The statuses a past grant may be recorded in.
PAST_STATUSES = (InitiativeStatus.COMPLETED, InitiativeStatus.TERMINATED)


@transaction.atomic
def initiative_record_past(
    *, initiative: Initiative, themes: list[Theme], status: str, actor, comment: str
) -> Initiative:
    """Save an initiative of a past edition: a new one is recorded in ``status`` (completed
    or terminated) with its workplan approved, and a history row (from nothing to ``status``,
    by ``actor`` as the secretariat, with ``comment``); an existing one keeps its status and
    history (only a past grant may be changed this way). Its themes become ``themes``.
    Raises ``InitiativeError`` otherwise, and nothing is saved."""
    if status not in PAST_STATUSES:
        raise InitiativeError(_("A past grant is completed or terminated."))
    if initiative.pk is None:
        initiative.status = status
        initiative.workplan_status = WorkplanStatus.APPROVED
        initiative.save()
        InitiativeStatusChange.objects.create(
            initiative=initiative,
            workflow=INITIATIVE_WORKFLOW.name,
            from_status="",
            to_status=status,
            actor=actor,
            role=Role.SECRETARIAT,
            comment=comment,
        )
    else:
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status not in PAST_STATUSES:
            raise InitiativeError(_("This grant is under way: it is changed in the back office."))
        initiative.save()
    if {theme.pk for theme in themes} != set(initiative.themes.values_list("pk", flat=True)):
        initiative.themes.set(themes)
    return initiative
