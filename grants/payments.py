"""Paying the tranches of a grant: the secretariat records a payment, the grantee is told."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from organisations.notifications import Kind, notify_many
from organisations.selectors import is_secretariat, organisation_members
from programme.workflow import Role, TransitionNotAllowed, perform_transition

from .models import Disbursement, DisbursementStatusChange
from .workflow import DISBURSEMENT_WORKFLOW, DisbursementStatus


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
        raise TransitionNotAllowed(_("The payment date cannot be in the future."))
    paid = perform_transition(
        obj=disbursement,
        workflow=DISBURSEMENT_WORKFLOW,
        target=DisbursementStatus.PAID,
        actor=actor,
        role=Role.SECRETARIAT,
        history=lambda obj, **fields: DisbursementStatusChange.objects.create(
            disbursement=obj, **fields
        ),
        comment=reference,
        changes={"paid_on": paid_on, "reference": reference},
    )
    initiative = paid.initiative
    organisation = initiative.lead_organisation
    context = {
        "initiative": initiative.title,
        "organisation": organisation.name,
        "tranche": paid.tranche,
        "amount": f"{paid.amount:.2f}",
        "currency": paid.currency,
        "paid_on": paid_on.isoformat(),
    }
    notify_many(
        recipients=organisation_members(organisation),
        kind=Kind.DISBURSEMENT_PAID,
        key=f"disbursement:{paid.pk}:paid",
        context=context,
        url_name="portal:home",
    )
    return paid
