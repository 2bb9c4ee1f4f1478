"""Status tables and the one mechanism that moves an object from one status to another.

Each workflow is a plain table: (from, to) -> the roles that may take that step. A service
calls ``perform_transition``, which locks the row, checks the table, saves the new status with
``update_fields`` and writes a history row (who, when, from, to, comment). Nothing else
assigns a status.

A row no page or task can take yet is listed in the workflow's ``not_offered`` with the reason:
the reachability test (tests/test_workflow_reachability.py) fails for any other row nobody
takes, and for a "not offered" row that something does take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .errors import DomainError


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    REVIEWER = "reviewer", _("Reviewer")
    MEMBER = "member", _("Organisation member")
    SYSTEM = "system", _("System")


class TransitionNotAllowed(DomainError):
    """The status change asked for is not in the table, or not for this role."""


REGISTRY: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Workflow:
    name: str
    label: str  # translated, for messages: "report", "workplan"...
    status: type[models.TextChoices]
    transitions: Mapping[tuple[str, str], frozenset[str]]
    # (from, to) -> why no page or task offers that step yet.
    not_offered: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # What a reader of docs/workflows.md must know besides the table (plain English, Markdown).
    notes: str = ""

    def __post_init__(self) -> None:
        values = set(self.status.values)
        for source, target in self.transitions:
            if source not in values or target not in values:
                raise ValueError(f"{self.name}: unknown status in {source!r} -> {target!r}")
        unknown = set(self.not_offered) - set(self.transitions)
        if unknown:
            raise ValueError(f"{self.name}: 'not offered' rows missing from the table: {unknown}")
        REGISTRY[self.name] = self

    def roles_for(self, source: str, target: str) -> frozenset[str]:
        return self.transitions.get((source, target), frozenset())

    def is_allowed(self, source: str, target: str, role: str) -> bool:
        return role in self.roles_for(source, target)

    def targets(self, source: str, role: str) -> list[str]:
        return [t for (s, t), roles in self.transitions.items() if s == source and role in roles]

    def check(self, source: str, target: str, role: str) -> None:
        if (source, target) not in self.transitions:
            raise TransitionNotAllowed(
                _("A %(workflow)s cannot go from “%(source)s” to “%(target)s”.")
                % {
                    "workflow": self.label,
                    "source": self.status(source).label,
                    "target": self.status(target).label,
                }
            )
        if role not in self.roles_for(source, target):
            raise TransitionNotAllowed(
                _("You are not allowed to move this %(workflow)s to “%(target)s”.")
                % {"workflow": self.label, "target": self.status(target).label}
            )


def table(rows: Iterable[tuple[str, str, Iterable[str]]]) -> dict[tuple[str, str], frozenset[str]]:
    """Build a transition table from (from, to, roles) rows."""
    return {(source, target): frozenset(roles) for source, target, roles in rows}


def lock(obj: models.Model, *, related: Iterable[str] = ()) -> models.Model:
    """``obj`` read again under a row lock (only its own row: related rows come along unlocked,
    which PostgreSQL requires for the nullable side of a join)."""
    queryset = type(obj)._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=obj.pk)


def lock_for_transition(
    obj: models.Model,
    *,
    workflow: Workflow,
    target: str,
    role: str,
    field: str = "status",
    related: Iterable[str] = (),
) -> models.Model:
    """Lock ``obj`` and refuse a step the table does not allow before any other check runs, so
    that a forbidden step always reads as such, whatever else is wrong."""
    locked = lock(obj, related=related)
    workflow.check(getattr(locked, field), target, role)
    return locked


def perform_transition(
    *,
    obj: models.Model,
    workflow: Workflow,
    target: str,
    actor,
    role: str,
    history: Callable[..., models.Model],
    field: str = "status",
    comment: str = "",
    changes: Mapping[str, object] | None = None,
) -> models.Model:
    """Move ``obj`` to ``target`` under a row lock and record who did it.

    ``history`` creates the history row; it receives the locked object and the keyword
    arguments of ``StatusChangeBase``. ``changes`` are other fields saved with the status
    (for example ``submitted_at``). Raises ``TransitionNotAllowed``; then nothing changes.
    """
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(locked, field)
        workflow.check(source, target, role)
        setattr(locked, field, target)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.save(update_fields=[field, *(changes or {})])
        history(
            locked,
            workflow=workflow.name,
            from_status=source,
            to_status=target,
            actor=actor,
            role=role,
            comment=comment,
        )
    return locked


def labelled(history, status) -> list:
    """History rows with ``to_label``, the label of the status they moved to."""
    rows = list(history)
    for row in rows:
        row.to_label = (
            status(row.to_status).label if row.to_status in status.values else row.to_status
        )
    return rows
