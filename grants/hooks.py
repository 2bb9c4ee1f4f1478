"""Hooks the apps above grants fill when they load, so that a grants flow can tell them what
happened, or ask them, without importing them (imports run downward only).

- ``on_award``: the reports app schedules an initiative's reports when its grant is awarded;
- ``on_extension``: a no-cost extension moves the due dates of the reports not yet submitted;
- ``final_report_check``: whether an initiative's final report is accepted (the reports app
  knows), which the system's completion of a grant waits for.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

AwardHook = Callable[..., object]
ExtensionHook = Callable[..., object]
FinalReportCheck = Callable[..., bool]
_on_award: list[AwardHook] = []
_on_extension: list[ExtensionHook] = []
_final_report_checks: list[FinalReportCheck] = []


def on_award(hook: AwardHook) -> None:
    """Call ``hook(initiative=...)`` inside the award's transaction, for every grant awarded.
    Registering the same hook again does nothing."""
    if hook not in _on_award:
        _on_award.append(hook)


def initiative_awarded(*, initiative) -> None:
    for hook in _on_award:
        hook(initiative=initiative)


def on_extension(hook: ExtensionHook) -> None:
    """Call ``hook(initiative=..., old_end=..., new_end=...)`` inside the extension's
    transaction, for every no-cost extension. Registering the same hook again does nothing."""
    if hook not in _on_extension:
        _on_extension.append(hook)


def initiative_extended(*, initiative, old_end: datetime.date, new_end: datetime.date) -> None:
    for hook in _on_extension:
        hook(initiative=initiative, old_end=old_end, new_end=new_end)


def final_report_check(check: FinalReportCheck) -> None:
    """Register ``check(initiative=...) -> bool``: whether the initiative's final report is
    accepted. Registering the same check again does nothing."""
    if check not in _final_report_checks:
        _final_report_checks.append(check)


def final_report_accepted(*, initiative) -> bool:
    """True when a registered check says the final report is accepted; False with none (no
    app keeps reports, so no final report can be accepted)."""
    return any(check(initiative=initiative) for check in _final_report_checks)
