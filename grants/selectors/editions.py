"""What stops an edition's step, seen from the grants: the checks the grants app adds to the
edition's lifecycle (``programme.hooks``, registered in ``GrantsConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Application, Initiative
from ..workflow import ApplicationStatus, InitiativeStatus

A = ApplicationStatus
# Applications the secretariat still has to decide on (a draft never sent is not one).
UNDECIDED = (A.SUBMITTED, A.MORE_INFO, A.UNDER_REVIEW, A.SHORTLISTED)
FINISHED = (InitiativeStatus.COMPLETED, InitiativeStatus.TERMINATED)
# Names listed in a message at most; the rest are counted.
NAMED = 5


def listed(names: list[str], total: int) -> str:
    shown = ", ".join(f"“{name}”" for name in names[:NAMED])
    if total > NAMED:
        shown += " " + _("and %(count)s more") % {"count": total - NAMED}
    return shown


def undecided_applications(*, edition) -> list[str]:
    """Refuses "running" while applications to ``edition`` wait for a decision."""
    waiting = Application.objects.filter(edition=edition, status__in=UNDECIDED)
    total = waiting.count()
    if not total:
        return []
    names = list(waiting.order_by("pk").values_list("title", flat=True)[:NAMED])
    return [
        ngettext(
            "%(count)s application still waits for a decision: %(names)s.",
            "%(count)s applications still wait for a decision: %(names)s.",
            total,
        )
        % {"count": total, "names": listed(names, total)}
    ]


def running_initiatives(*, edition) -> list[str]:
    """Refuses "closed" while initiatives of ``edition`` are neither completed nor terminated."""
    running = Initiative.objects.filter(edition=edition).exclude(status__in=FINISHED)
    total = running.count()
    if not total:
        return []
    names = [str(i.title) for i in running.order_by("order", "pk")[:NAMED]]
    return [
        ngettext(
            "%(count)s initiative is still running: %(names)s.",
            "%(count)s initiatives are still running: %(names)s.",
            total,
        )
        % {"count": total, "names": listed(names, total)}
    ]
