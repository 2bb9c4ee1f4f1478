"""An edition's lifecycle: its call opened, closed (early or at its deadline) and reopened, the
grants running, the edition closed.

The stored status is the one source of truth (see ``programme.workflow``): each service moves
it through ``core.workflow.perform_transition`` (row lock, the table, a history row) and writes
the call's window with it, so the dates never say something the status does not. The
secretariat takes every step; the system takes one, closing a call whose deadline has passed.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.staff import is_secretariat
from core.timezones import format_in_zone
from core.workflow import Role, TransitionNotAllowed, lock_for_transition, perform_transition
from notifications.services import schedule_record_result

from .errors import EditionError
from .hooks import step_problems
from .models import Edition, EditionStatusChange
from .workflow import EDITION_WORKFLOW, EditionStatus

logger = logging.getLogger(__name__)

E = EditionStatus
# The key of the daily job in the back office's schedule (``ProgrammeConfig.ready``).
CLOSE_CALLS_JOB = "close_calls"


def edition_role(actor) -> str:
    """The role ``actor`` takes an edition's step in: the system without a person, the
    secretariat for its members; anyone else gets a role the table never allows."""
    if actor is None:
        return Role.SYSTEM
    return Role.SECRETARIAT if is_secretariat(actor) else Role.MEMBER


def _history(edition: Edition, **fields) -> EditionStatusChange:
    return EditionStatusChange.objects.create(edition=edition, **fields)


def _lock(edition: Edition, *, target: str, actor) -> Edition:
    return lock_for_transition(
        edition, workflow=EDITION_WORKFLOW, target=target, role=edition_role(actor)
    )


def _move(edition: Edition, *, target: str, actor, comment: str = "", changes=None) -> Edition:
    return perform_transition(
        obj=edition,
        workflow=EDITION_WORKFLOW,
        target=target,
        actor=actor,
        role=edition_role(actor),
        history=_history,
        comment=comment,
        changes=changes,
    )


def _refuse_problems(edition: Edition, target: str) -> None:
    problems = step_problems(edition=edition, target=target)
    if problems:
        raise EditionError(" ".join(problems))


def _check_closing(edition: Edition, *, opens_at: datetime.datetime | None, closes_at, now):
    if closes_at is None:
        raise EditionError(_("Give the date and time the call closes."), field="closes_at")
    if closes_at <= now:
        raise EditionError(
            _("The call must close in the future, not on %(date)s.")
            % {"date": format_in_zone(closes_at, edition.application_time_zone)},
            field="closes_at",
        )
    if opens_at is not None and closes_at <= opens_at:
        raise EditionError(_("The call must close after it opens."), field="closes_at")


@transaction.atomic
def edition_open_call(
    *,
    edition: Edition,
    actor,
    closes_at: datetime.datetime,
    opens_at: datetime.datetime | None = None,
) -> Edition:
    """Open the call of an edition in preparation: in preparation → call open.

    Guarantees: only the secretariat opens a call; the edition is published (applicants find
    the call on its public page); the call closes in the future and after it opens
    (``opens_at`` defaults to now; a later one shows the call as opening soon). The window is
    saved with the status and the step recorded; otherwise ``EditionError`` or
    ``TransitionNotAllowed`` and nothing changes.
    """
    locked = _lock(edition, target=E.CALL_OPEN, actor=actor)
    now = timezone.now()
    opens_at = opens_at or now
    if not locked.is_published:
        raise EditionError(
            _("Publish the edition before opening its call: applicants find the call there.")
        )
    _check_closing(locked, opens_at=opens_at, closes_at=closes_at, now=now)
    return _move(
        locked,
        target=E.CALL_OPEN,
        actor=actor,
        changes={"application_opens_at": opens_at, "application_closes_at": closes_at},
    )


@transaction.atomic
def edition_close_call(*, edition: Edition, actor=None, comment: str = "") -> Edition:
    """Close an open call: call open → review.

    The system (``actor`` None) closes a call once its deadline has passed, and only then. The
    secretariat may close it earlier: the deadline becomes this moment, so the call's pages say
    when it really closed (a call that had not opened yet keeps no window). Applications
    already submitted stay; drafts can no longer be submitted.
    """
    locked = _lock(edition, target=E.REVIEW, actor=actor)
    now = timezone.now()
    changes = {}
    deadline = locked.application_closes_at
    if actor is None and (deadline is None or deadline > now):
        raise EditionError(_("The call closes on its own only once its deadline has passed."))
    if deadline is None or deadline > now:
        if locked.application_opens_at is not None and locked.application_opens_at < now:
            changes["application_closes_at"] = now
        else:  # it never opened
            changes = {"application_opens_at": None, "application_closes_at": None}
    return _move(locked, target=E.REVIEW, actor=actor, comment=comment, changes=changes)


@transaction.atomic
def edition_reopen_call(
    *, edition: Edition, actor, closes_at: datetime.datetime, comment: str = ""
) -> Edition:
    """Open the call of an edition in review again, until a new closing date: review → call
    open. The opening stays the first one (now, for a call closed before it opened)."""
    locked = _lock(edition, target=E.CALL_OPEN, actor=actor)
    now = timezone.now()
    opens_at = locked.application_opens_at or now
    _check_closing(locked, opens_at=opens_at, closes_at=closes_at, now=now)
    return _move(
        locked,
        target=E.CALL_OPEN,
        actor=actor,
        comment=comment,
        changes={"application_opens_at": opens_at, "application_closes_at": closes_at},
    )


@transaction.atomic
def edition_start_running(*, edition: Edition, actor, comment: str = "") -> Edition:
    """The edition's grants run: review → running once the decisions are taken, or in
    preparation → running for an edition entered after the fact (without a call).

    Guarantees: only the secretariat; the checks the apps above registered for "running"
    (``programme.hooks``: the grants app refuses while applications wait for a decision) find
    nothing, else ``EditionError`` with what they found and nothing changes.
    """
    locked = _lock(edition, target=E.RUNNING, actor=actor)
    _refuse_problems(locked, E.RUNNING)
    return _move(locked, target=E.RUNNING, actor=actor, comment=comment)


@transaction.atomic
def edition_close(*, edition: Edition, actor, comment: str = "") -> Edition:
    """Close a running edition: running → closed.

    Guarantees: only the secretariat; every initiative of the edition is completed or
    terminated (the grants app's check in ``programme.hooks``), else ``EditionError`` saying
    which still run, and nothing changes.
    """
    locked = _lock(edition, target=E.CLOSED, actor=actor)
    _refuse_problems(locked, E.CLOSED)
    return _move(locked, target=E.CLOSED, actor=actor, comment=comment)


def editions_close_due_calls(*, now: datetime.datetime | None = None) -> list[Edition]:
    """The daily job: every open call whose deadline has passed moves to review, by the
    system. Safe to run twice, or twice at once: a call already closed is left alone (its
    row is locked and its status checked again before the step). Returns the editions closed.
    """
    now = now or timezone.now()
    closed = []
    due = Edition.objects.filter(status=E.CALL_OPEN, application_closes_at__lte=now)
    for edition in due.order_by("pk"):
        try:
            closed.append(edition_close_call(edition=edition, actor=None))
        except (TransitionNotAllowed, EditionError):
            # Closed (or its deadline moved) by someone else since the list was read.
            logger.info("Edition %s: its call was no longer due to close.", edition.pk)
    schedule_record_result(
        job=CLOSE_CALLS_JOB, result=f"{len(closed)} calls closed: {[e.slug for e in closed]}"
    )
    return closed
