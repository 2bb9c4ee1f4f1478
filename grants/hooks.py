"""Hooks the apps above grants fill when they load, so that a grants flow can tell them what
happened without importing them (imports run downward only).

The reports app, for one, schedules an initiative's reports when its grant is awarded.
"""

from __future__ import annotations

from collections.abc import Callable

AwardHook = Callable[..., object]
_on_award: list[AwardHook] = []


def on_award(hook: AwardHook) -> None:
    """Call ``hook(initiative=...)`` inside the award's transaction, for every grant awarded.
    Registering the same hook again does nothing."""
    if hook not in _on_award:
        _on_award.append(hook)


def initiative_awarded(*, initiative) -> None:
    for hook in _on_award:
        hook(initiative=initiative)
