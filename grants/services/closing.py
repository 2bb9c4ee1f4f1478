"""Closing a grant: the system completes it once its final report is accepted and every
tranche is paid or cancelled; the secretariat terminates it early (with a reason, cancelling
the tranches not paid yet), extends it at no cost (its end and the due dates of what it still
owes move later, with history), or cancels one tranche with a reason."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.money import amount_text
from core.workflow import Role, TransitionNotAllowed, lock, lock_for_transition, perform_transition
from notifications.services import notify_many
from organisations.selectors import is_secretariat, organisation_members
from programme.notifications import sender_of

from .. import hooks
from .. import notifications as kinds
from ..errors import InitiativeError, PaymentError
from ..models import (
    Disbursement,
    DisbursementStatusChange,
    Initiative,
    InitiativeExtension,
    InitiativeStatusChange,
)
from ..workflow import (
    DISBURSEMENT_WORKFLOW,
    INITIATIVE_WORKFLOW,
    RUNNING_INITIATIVES,
    DisbursementStatus,
    InitiativeStatus,
)

D = DisbursementStatus
# Tranches whose due date is the due date of a report: an extension moves them with it.
REPORT_CONDITIONS = (Disbursement.Condition.INTERIM_ACCEPTED, Disbursement.Condition.FINAL_ACCEPTED)


def _initiative_history(obj: Initiative, **fields) -> InitiativeStatusChange:
    return InitiativeStatusChange.objects.create(initiative=obj, **fields)


def _disbursement_history(obj: Disbursement, **fields) -> DisbursementStatusChange:
    return DisbursementStatusChange.objects.create(disbursement=obj, **fields)


def _context(initiative: Initiative, **more) -> dict:
    return {
        "initiative": initiative.title,
        "organisation": initiative.lead_organisation.name,
        **more,
    }


def _check_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can do this."))


def _cancel(disbursement: Disbursement, *, actor, reason: str) -> Disbursement:
    return perform_transition(
        obj=disbursement,
        workflow=DISBURSEMENT_WORKFLOW,
        target=D.CANCELLED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_disbursement_history,
        comment=reason,
        changes={"cancel_reason": reason},
    )


@transaction.atomic
def initiative_complete_if_done(*, initiative: Initiative, actor=None) -> Initiative | None:
    """Complete an active grant whose final report is accepted (``hooks.final_report_accepted``)
    and whose tranches are all paid or cancelled: a step of the system, recorded in its history,
    and the organisation is told. Returns the completed initiative, or None when it is not done
    (or not active: completed already, by a concurrent call too, since the row is locked).

    Called after a payment, after a tranche is cancelled and when a final report is accepted.
    """
    locked = lock(initiative, related=("lead_organisation",))
    if locked.status != InitiativeStatus.ACTIVE:
        return None
    if not hooks.final_report_accepted(initiative=locked):
        return None
    if locked.disbursements.exclude(status__in=(D.PAID, D.CANCELLED)).exists():
        return None
    completed = perform_transition(
        obj=locked,
        workflow=INITIATIVE_WORKFLOW,
        target=InitiativeStatus.COMPLETED,
        actor=actor,
        role=Role.SYSTEM,
        history=_initiative_history,
        comment=_("Final report accepted and every tranche paid or cancelled."),
    )
    notify_many(
        recipients=organisation_members(locked.lead_organisation),
        kind=kinds.INITIATIVE_COMPLETED,
        sender=sender_of(locked.edition),
        key=f"initiative:{locked.pk}:completed",
        context=_context(locked),
        url_name="portal:home",
    )
    return completed


@transaction.atomic
def disbursement_cancel(*, disbursement: Disbursement, actor, reason: str) -> Disbursement:
    """The secretariat cancels a planned or payable tranche, with a reason (required), and the
    organisation is told; then the grant is completed if this was all it waited for. A paid or
    cancelled tranche cannot be cancelled (a second click is refused). Raises
    ``TransitionNotAllowed`` or ``PaymentError``; then nothing changes."""
    _check_secretariat(actor)
    locked = lock_for_transition(
        disbursement,
        workflow=DISBURSEMENT_WORKFLOW,
        target=D.CANCELLED,
        role=Role.SECRETARIAT,
        related=("initiative__lead_organisation",),
    )
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Give the reason for cancelling the tranche."))
    cancelled = _cancel(locked, actor=actor, reason=reason)
    initiative = locked.initiative
    notify_many(
        recipients=organisation_members(initiative.lead_organisation),
        kind=kinds.DISBURSEMENT_CANCELLED,
        sender=sender_of(initiative.edition),
        key=f"disbursement:{cancelled.pk}:cancelled",
        context=_context(
            initiative,
            tranche=cancelled.tranche,
            amount=amount_text(cancelled.amount),
            currency=cancelled.currency,
            reason=reason,
        ),
        url_name="portal:home",
    )
    initiative_complete_if_done(initiative=initiative)
    return cancelled


@transaction.atomic
def initiative_terminate(*, initiative: Initiative, actor, reason: str) -> Initiative:
    """The secretariat ends a running grant early (awarded, workplan approved or active), with
    a reason (required): its planned and payable tranches are cancelled with that reason, its
    reports are no longer reminded (the reminder scan skips terminated grants), and the
    organisation is told. Raises ``TransitionNotAllowed`` or ``InitiativeError``."""
    _check_secretariat(actor)
    locked = lock_for_transition(
        initiative,
        workflow=INITIATIVE_WORKFLOW,
        target=InitiativeStatus.TERMINATED,
        role=Role.SECRETARIAT,
        related=("lead_organisation",),
    )
    reason = (reason or "").strip()
    if not reason:
        raise InitiativeError(_("Give the reason for terminating the grant."))
    terminated = perform_transition(
        obj=locked,
        workflow=INITIATIVE_WORKFLOW,
        target=InitiativeStatus.TERMINATED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_initiative_history,
        comment=reason,
    )
    for disbursement in locked.disbursements.filter(status__in=(D.PLANNED, D.PAYABLE)).order_by(
        "tranche"
    ):
        _cancel(disbursement, actor=actor, reason=reason)
    notify_many(
        recipients=organisation_members(locked.lead_organisation),
        kind=kinds.INITIATIVE_TERMINATED,
        sender=sender_of(locked.edition),
        key=f"initiative:{locked.pk}:terminated",
        context=_context(locked, reason=reason),
        url_name="portal:home",
    )
    return terminated


@transaction.atomic
def initiative_extend(
    *, initiative: Initiative, actor, new_end: datetime.date, reason: str
) -> InitiativeExtension:
    """A no-cost extension: the secretariat moves a running grant's end to ``new_end`` (after
    the current end), with a reason (required). The due dates of the reports not submitted yet
    move by the same number of days (``hooks.on_extension``: the reports app), and so do those
    of the planned tranches paid on a report; the change is recorded (``InitiativeExtension``:
    old end, new end, reason, who, when) and the organisation is told. Raises
    ``TransitionNotAllowed`` or ``InitiativeError``; then nothing changes."""
    _check_secretariat(actor)
    locked = lock(initiative, related=("lead_organisation",))
    if locked.status not in RUNNING_INITIATIVES:
        raise InitiativeError(
            _("This grant is %(status)s: it can no longer be extended.")
            % {"status": locked.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise InitiativeError(_("Give the reason for the extension."))
    old_end = locked.period_end
    if new_end is None or new_end <= old_end:
        raise InitiativeError(
            _("The new end date must be after the current one (%(end)s).")
            % {"end": date_format(old_end, "DATE_FORMAT")}
        )
    extension = InitiativeExtension.objects.create(
        initiative=locked, old_end=old_end, new_end=new_end, reason=reason, actor=actor
    )
    locked.period_end = new_end
    locked.save(update_fields=["period_end", "updated_at"])
    locked.disbursements.filter(
        status=D.PLANNED, condition__in=REPORT_CONDITIONS, due_on__isnull=False
    ).update(due_on=F("due_on") + (new_end - old_end))
    hooks.initiative_extended(initiative=locked, old_end=old_end, new_end=new_end)
    notify_many(
        recipients=organisation_members(locked.lead_organisation),
        kind=kinds.INITIATIVE_EXTENDED,
        sender=sender_of(locked.edition),
        key=f"initiative:{locked.pk}:extended:{extension.pk}",
        context=_context(
            locked, old_end=old_end.isoformat(), new_end=new_end.isoformat(), reason=reason
        ),
        url_name="portal:home",
    )
    return extension
