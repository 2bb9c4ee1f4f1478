"""Paying the tranches of a grant: a tranche becomes payable when its condition is met, the
secretariat records its payment, the grantee is told."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.money import amount_text
from core.workflow import Role, TransitionNotAllowed, perform_transition
from notifications.services import notify_many
from organisations.selectors import is_secretariat, organisation_members

from .. import notifications as kinds
from ..errors import PaymentError
from ..models import Disbursement, DisbursementStatusChange, Initiative
from ..workflow import DISBURSEMENT_WORKFLOW, DisbursementStatus


def _history(obj: Disbursement, **fields) -> DisbursementStatusChange:
    return DisbursementStatusChange.objects.create(disbursement=obj, **fields)


@transaction.atomic
def disbursement_mark_paid(
    *, disbursement: Disbursement, actor, paid_on: datetime.date, reference: str = ""
) -> Disbursement:
    """Record that a payable tranche was paid on ``paid_on``: status PAID with a history row,
    and a "payment made" email to each member of the grantee organisation (once per tranche).

    Only the secretariat may; a tranche still waiting for its condition cannot be paid.
    """
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can record payments."))
    if paid_on > datetime.date.today():
        raise PaymentError(_("The payment date cannot be in the future."))
    paid = perform_transition(
        obj=disbursement,
        workflow=DISBURSEMENT_WORKFLOW,
        target=DisbursementStatus.PAID,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        comment=reference,
        changes={"paid_on": paid_on, "reference": reference},
    )
    initiative = paid.initiative
    organisation = initiative.lead_organisation
    context = {
        "initiative": initiative.title,
        "organisation": organisation.name,
        "tranche": paid.tranche,
        "amount": amount_text(paid.amount),
        "currency": paid.currency,
        "paid_on": paid_on.isoformat(),
    }
    notify_many(
        recipients=organisation_members(organisation),
        kind=kinds.DISBURSEMENT_PAID,
        key=f"disbursement:{paid.pk}:paid",
        context=context,
        url_name="portal:home",
    )
    return paid


@transaction.atomic
def disbursements_release(
    *, initiative: Initiative, condition: str, actor=None, count: int | None = None
) -> list[Disbursement]:
    """Make payable the planned tranches of ``initiative`` waiting for ``condition`` (the
    workplan's approval, or an interim or final report accepted), oldest tranche first and at
    most ``count`` of them. Each step is a "disbursement" transition taken by the system and
    recorded in the tranche's history."""
    waiting = Disbursement.objects.filter(
        initiative=initiative, condition=condition, status=DisbursementStatus.PLANNED
    ).order_by("tranche")
    if count is not None:
        waiting = waiting[:count]
    released = []
    for disbursement in waiting:
        released.append(
            perform_transition(
                obj=disbursement,
                workflow=DISBURSEMENT_WORKFLOW,
                target=DisbursementStatus.PAYABLE,
                actor=actor,
                role=Role.SYSTEM,
                history=_history,
                comment=str(Disbursement.Condition(condition).label),
            )
        )
    return released
