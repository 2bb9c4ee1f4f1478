"""The workplan of a funded initiative: lines of action, activities, budget lines, indicators.

The grantee edits it in the portal while it is a draft or changes were requested, then submits
it; the secretariat approves it or asks for changes with a comment. Status changes go through
``perform_transition`` on ``Initiative.workplan_status`` and are recorded in
``InitiativeStatusChange`` with the workflow "workplan". Approving the first workplan also moves
the initiative from "awarded" to "workplan approved" and makes payable the tranches that waited
for it; the initiative becomes active then if its agreement is countersigned already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_money
from core.workflow import Role, TransitionNotAllowed, lock, lock_for_transition, perform_transition
from notifications.services import notify_many
from organisations.selectors import (
    is_member,
    is_secretariat,
    organisation_members,
    secretariat_users,
)
from programme.notifications import sender_of

from .. import notifications as kinds
from ..errors import StaleWorkplan, WorkplanError
from ..models import (
    Activity,
    BudgetLine,
    Disbursement,
    Indicator,
    Initiative,
    InitiativeStatusChange,
    LineOfAction,
    PublicLineOfAction,
)
from ..workflow import INITIATIVE_WORKFLOW, WORKPLAN_WORKFLOW, InitiativeStatus, WorkplanStatus
from .agreements import initiative_activate_if_ready
from .payments import disbursements_release

EDITABLE = (WorkplanStatus.DRAFT, WorkplanStatus.CHANGES_REQUESTED)


@dataclass(frozen=True)
class Section:
    """One editable part of the workplan: its model and the fields the grantee writes."""

    model: type
    label: str
    fields: tuple[str, ...]
    # Fields translated with modeltranslation: the grantee writes them in their language.
    translated: tuple[str, ...] = ()


SECTIONS: dict[str, Section] = {
    "lines": Section(
        LineOfAction,
        gettext_lazy("Lines of action"),
        ("title", "description", "order"),
        translated=("title", "description"),
    ),
    "activities": Section(
        Activity,
        gettext_lazy("Activities"),
        (
            "title",
            "description",
            "line_of_action",
            "starts_on",
            "ends_on",
            "place",
            "status",
            "budget",
            "order",
        ),
    ),
    "budget": Section(
        BudgetLine,
        gettext_lazy("Budget"),
        ("category", "description", "line_of_action", "amount", "order"),
    ),
    "indicators": Section(
        Indicator,
        gettext_lazy("Indicators"),
        ("name", "line_of_action", "unit", "baseline", "target", "order"),
    ),
}


def workplan_is_editable(initiative: Initiative) -> bool:
    return initiative.workplan_status in EDITABLE


def budget_total(initiative: Initiative) -> Decimal:
    total = BudgetLine.objects.filter(initiative=initiative).aggregate(total=Sum("amount"))
    return total["total"] or Decimal("0")


def _history(initiative: Initiative, **fields) -> InitiativeStatusChange:
    return InitiativeStatusChange.objects.create(initiative=initiative, **fields)


def _check_member(actor, initiative: Initiative) -> None:
    if not is_member(actor, initiative.lead_organisation_id):
        raise TransitionNotAllowed(
            _("Only members of the organisation can change or submit its workplan.")
        )


def _check_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can review workplans."))


# --- editing ------------------------------------------------------------------------------------


@transaction.atomic
def workplan_section_save(
    *,
    initiative: Initiative,
    actor,
    section: str,
    rows: Sequence[Mapping],
    language: str,
    read_version: int,
) -> Initiative:
    """Apply a member's edit of one part of the workplan (``SECTIONS``) at once.

    Each row is a mapping of the section's fields plus ``id`` (None for a new row) and
    ``delete``. Translated fields are stored in ``language``, the member's own; a translated
    field left out of a row is left as it is. Only a draft workplan, or one sent back for
    changes, can be edited, only by a member of the lead organisation, and rows can only point
    to the initiative's own rows. ``read_version`` is ``section_version(initiative, section)``
    when the member's form was read: if a colleague saved that part since, ``StaleWorkplan``
    is raised rather than writing over their edit. Raises ``WorkplanError`` or
    ``TransitionNotAllowed``; then nothing changes.
    """
    spec = SECTIONS.get(section)
    if spec is None:
        raise WorkplanError(_("Unknown part of the workplan."))
    locked = lock(initiative, related=("lead_organisation",))
    _check_member(actor, locked)
    if not workplan_is_editable(locked):
        raise WorkplanError(
            _("The workplan is %(status)s: it cannot be changed now.")
            % {"status": locked.get_workplan_status_display().lower()}
        )
    if section_version(locked, section) != read_version:
        raise StaleWorkplan(
            _(
                "Someone saved “%(section)s” after you opened this page. What you typed is "
                "below, not saved: compare it with what is saved now, then save again."
            )
            % {"section": spec.label}
        )
    existing = {obj.pk: obj for obj in spec.model.objects.filter(initiative=locked)}
    line_ids = set(LineOfAction.objects.filter(initiative=locked).values_list("pk", flat=True))
    for row in rows:
        pk = row.get("id")
        if pk is not None and pk not in existing:
            raise WorkplanError(_("A row of this workplan was removed meanwhile: reload the page."))
        obj = existing.get(pk) if pk is not None else spec.model(initiative=locked)
        if row.get("delete"):
            if pk is not None:
                _delete(obj)
            continue
        for name in spec.fields:
            if name not in row:
                continue
            value = row[name]
            if name == "line_of_action":
                line_id = getattr(value, "pk", value)
                if line_id is not None and line_id not in line_ids:
                    raise WorkplanError(_("Choose a line of action of this workplan."))
                obj.line_of_action_id = line_id
            elif name in spec.translated:
                setattr(obj, f"{name}_{language}", value)
            else:
                setattr(obj, name, value)
        try:
            obj.full_clean(exclude=["initiative", "line_of_action"])
        except ValidationError as error:
            raise WorkplanError(" ".join(error.messages)) from error
        obj.save()
    locked.workplan_versions = {**locked.workplan_versions, section: read_version + 1}
    locked.save(update_fields=["workplan_versions", "updated_at"])
    return locked


def section_version(initiative: Initiative, section: str) -> int:
    """The number of saves of one part of the workplan: what a form carries to be saved."""
    return int((initiative.workplan_versions or {}).get(section, 0))


def _delete(obj) -> None:
    try:
        # A savepoint, so the error below leaves the transaction usable for the caller.
        with transaction.atomic():
            obj.delete()
    except ProtectedError as error:
        raise WorkplanError(
            _("“%(row)s” is used in a report and cannot be removed.") % {"row": obj}
        ) from error


# --- status -------------------------------------------------------------------------------------


def workplan_problems(initiative: Initiative) -> list[str]:
    """What keeps the workplan from being submitted (empty when it is complete)."""
    problems = []
    if not initiative.lines_of_action.exists():
        problems.append(_("Add at least one line of action."))
    if not initiative.activities.exists():
        problems.append(_("Add at least one activity."))
    total = budget_total(initiative)
    if total <= 0:
        problems.append(_("Add the budget lines."))
    elif total > initiative.amount_awarded:
        problems.append(
            _(
                "The budget totals %(total)s, more than the %(award)s awarded: reduce it by "
                "%(excess)s."
            )
            % {
                "total": format_money(total, initiative.currency),
                "award": format_money(initiative.amount_awarded, initiative.currency),
                "excess": format_money(total - initiative.amount_awarded, initiative.currency),
            }
        )
    return problems


@transaction.atomic
def workplan_submit(*, initiative: Initiative, actor) -> Initiative:
    """A member of the lead organisation sends the workplan to the secretariat for approval.

    Refused (``WorkplanError``, nothing changes) while the workplan lacks lines of action,
    activities or a budget, or while the budget totals more than the amount awarded; the
    message gives the numbers. The secretariat is notified after commit.
    """
    locked = lock_for_transition(
        initiative,
        workflow=WORKPLAN_WORKFLOW,
        target=WorkplanStatus.SUBMITTED,
        role=Role.MEMBER,
        field="workplan_status",
        related=("lead_organisation",),
    )
    _check_member(actor, locked)
    problems = workplan_problems(locked)
    if problems:
        raise WorkplanError(" ".join(problems))
    moved = perform_transition(
        obj=locked,
        workflow=WORKPLAN_WORKFLOW,
        target=WorkplanStatus.SUBMITTED,
        actor=actor,
        role=Role.MEMBER,
        history=_history,
        field="workplan_status",
    )
    history = moved.history.filter(workflow=WORKPLAN_WORKFLOW.name).order_by("-pk").first()
    notify_many(
        recipients=secretariat_users(),
        kind=kinds.WORKPLAN_SUBMITTED,
        sender=sender_of(locked.edition),
        key=f"workplan:{moved.pk}:submitted:{history.pk}",
        context={"initiative": moved.title, "organisation": locked.lead_organisation.name},
        url_name="secretariat:workplan_review",
        url_kwargs={"pk": moved.pk},
    )
    return moved


@transaction.atomic
def workplan_approve(*, initiative: Initiative, actor, comment: str = "") -> Initiative:
    """The secretariat approves a submitted workplan.

    Its lines of action become those of the public pages (``public_lines_refresh``). An
    initiative still "awarded" moves to "workplan approved" in the same transaction, and its
    planned tranches paid on workplan approval become payable; if its agreement is already
    countersigned, it becomes active. The organisation's members are
    notified after commit.
    """
    _check_secretariat(actor)
    locked = lock(initiative, related=("lead_organisation",))
    moved = perform_transition(
        obj=locked,
        workflow=WORKPLAN_WORKFLOW,
        target=WorkplanStatus.APPROVED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        field="workplan_status",
        comment=comment,
    )
    history = moved.history.filter(workflow=WORKPLAN_WORKFLOW.name).order_by("-pk").first()
    if moved.status == InitiativeStatus.AWARDED:
        moved = perform_transition(
            obj=moved,
            workflow=INITIATIVE_WORKFLOW,
            target=InitiativeStatus.WORKPLAN_APPROVED,
            actor=actor,
            role=Role.SECRETARIAT,
            history=_history,
            comment=_("Workplan approved."),
        )
    disbursements_release(
        initiative=moved, condition=Disbursement.Condition.WORKPLAN_APPROVED, actor=actor
    )
    public_lines_refresh(initiative=moved)
    # Active now if the agreement was countersigned first.
    moved = initiative_activate_if_ready(initiative=moved, actor=actor)
    notify_many(
        recipients=organisation_members(locked.lead_organisation),
        kind=kinds.WORKPLAN_APPROVED,
        sender=sender_of(locked.edition),
        key=f"workplan:{moved.pk}:approved:{history.pk}",
        context={
            "initiative": moved.title,
            "organisation": locked.lead_organisation.name,
            "comment": comment,
        },
        url_name="portal:workplan",
        url_kwargs={"pk": moved.pk},
    )
    return moved


@transaction.atomic
def workplan_request_changes(*, initiative: Initiative, actor, comment: str) -> Initiative:
    """The secretariat sends a submitted (or approved) workplan back to the grantee with a
    comment saying what to change. The comment is required. Members are notified after
    commit."""
    _check_secretariat(actor)
    if not comment.strip():
        raise WorkplanError(_("Say what should change: the comment is required."))
    locked = lock(initiative, related=("lead_organisation",))
    moved = perform_transition(
        obj=locked,
        workflow=WORKPLAN_WORKFLOW,
        target=WorkplanStatus.CHANGES_REQUESTED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        field="workplan_status",
        comment=comment.strip(),
    )
    history = moved.history.filter(workflow=WORKPLAN_WORKFLOW.name).order_by("-pk").first()
    notify_many(
        recipients=organisation_members(locked.lead_organisation),
        kind=kinds.WORKPLAN_CHANGES_REQUESTED,
        sender=sender_of(locked.edition),
        key=f"workplan:{moved.pk}:changes_requested:{history.pk}",
        context={
            "initiative": moved.title,
            "organisation": locked.lead_organisation.name,
            "comment": comment.strip(),
        },
        url_name="portal:workplan",
        url_kwargs={"pk": moved.pk},
    )
    return moved


# --- the public page ----------------------------------------------------------------------------

LINE_COLUMNS = tuple(
    f"{name}_{code}" for name in ("title", "description") for code, _name in settings.LANGUAGES
)


@transaction.atomic
def public_lines_refresh(*, initiative: Initiative) -> list[PublicLineOfAction]:
    """Make the lines of action the public pages show those of the workplan as it is now, in
    every language.

    Taken when the secretariat approves a workplan, and from the back office when the
    secretariat edits the lines of an approved workplan or chooses to show the current ones:
    a grantee's draft never reaches the public pages by itself. Rows are updated in place and
    only where they differ, so running it twice changes nothing (and clears no page cache).
    """
    lines = list(LineOfAction.objects.filter(initiative=initiative).order_by("order", "pk"))
    public = list(PublicLineOfAction.objects.filter(initiative=initiative).order_by("order", "pk"))
    kept = []
    for position, line in enumerate(lines):
        row = public[position] if position < len(public) else None
        values = {column: getattr(line, column) for column in LINE_COLUMNS}
        values["order"] = position
        if row is None:
            row = PublicLineOfAction(initiative=initiative, **values)
            row.save()
        elif any(getattr(row, column) != value for column, value in values.items()):
            for column, value in values.items():
                setattr(row, column, value)
            row.save()
        kept.append(row)
    extra = [row.pk for row in public[len(lines) :]]
    if extra:
        PublicLineOfAction.objects.filter(pk__in=extra).delete()
    return kept
