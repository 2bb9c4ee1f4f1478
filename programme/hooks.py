"""Checks the apps above programme add to an edition's steps, so that a step can depend on their
rows without programme importing them (imports run downward only).

The grants app, for one, refuses to close an edition while some of its initiatives still run,
and to start running it while applications wait for a decision.
"""

from __future__ import annotations

from collections.abc import Callable

# A check takes the edition (locked) and returns what stops the step: translated sentences,
# none when the step may go ahead.
EditionCheck = Callable[..., list[str]]
_checks: dict[str, list[EditionCheck]] = {}


def before_step(target: str, check: EditionCheck) -> None:
    """Call ``check(edition=...)`` before an edition moves to ``target``; the step is refused
    with the problems it returns. Registering the same check again does nothing."""
    checks = _checks.setdefault(target, [])
    if check not in checks:
        checks.append(check)


def step_problems(*, edition, target: str) -> list[str]:
    """Every problem the registered checks find with moving ``edition`` to ``target``."""
    return [problem for check in _checks.get(target, ()) for problem in check(edition=edition)]
