"""Paying the tranches of a grant: a tranche becomes payable when its condition is met, the
secretariat records its payment (amount sent, currency, exchange rate, fees, reference) to the
organisation's verified bank details, the grantee is told and confirms what reached their
account; a difference beyond ``PAYMENT_RECEIVED_TOLERANCE_PERCENT`` is flagged."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import amount_text
from core.workflow import Role, TransitionNotAllowed, lock, lock_for_transition, perform_transition
from notifications.services import notify_many
from organisations.selectors import (
    is_member,
    is_secretariat,
    organisation_members,
    payee_problem,
    secretariat_users,
    verified_payee,
)
from programme.notifications import sender_of

from .. import notifications as kinds
from ..errors import PaymentError
from ..models import Disbursement, DisbursementStatusChange, Initiative
from ..workflow import DISBURSEMENT_WORKFLOW, DisbursementStatus
from .closing import initiative_complete_if_done

CURRENCY = re.compile(r"^[A-Z]{3}$")


def _history(obj: Disbursement, **fields) -> DisbursementStatusChange:
    return DisbursementStatusChange.objects.create(disbursement=obj, **fields)


def payment_problems(
    *,
    disbursement: Disbursement,
    paid_on: datetime.date | None,
    amount_sent: Decimal | None,
    currency: str,
    exchange_rate: Decimal | None,
    fees: Decimal | None,
) -> dict[str, str]:
    """What is wrong with a payment as typed, field → message (empty when it can be
    recorded): amounts and rate more than zero, fees zero or more, a currency code, a date
    not in the future, a rate of 1 when the currency sent is the grant's."""
    problems = {}
    if paid_on is None:
        problems["paid_on"] = _("Give the date of the payment.")
    elif paid_on > timezone.localdate():
        problems["paid_on"] = _("The payment date cannot be in the future.")
    if amount_sent is None:
        problems["amount_sent"] = _("Give the amount sent.")
    elif amount_sent <= 0:
        problems["amount_sent"] = _("The amount sent must be more than zero.")
    if not CURRENCY.match(currency or ""):
        problems["currency"] = _("Give the three-letter ISO 4217 code, for example USD or EUR.")
    if exchange_rate is None:
        problems["exchange_rate"] = _("Give the exchange rate (1 for the grant's own currency).")
    elif exchange_rate <= 0:
        problems["exchange_rate"] = _("The exchange rate must be more than zero.")
    elif currency == disbursement.currency and exchange_rate != 1:
        problems["exchange_rate"] = _(
            "The money was sent in the grant's own currency: the exchange rate is 1."
        )
    if fees is None:
        problems["fees"] = _("Give the fees (0 when there were none).")
    elif fees < 0:
        problems["fees"] = _("The fees cannot be negative.")
    return problems


@transaction.atomic
def disbursement_mark_paid(
    *,
    disbursement: Disbursement,
    actor,
    paid_on: datetime.date,
    amount_sent: Decimal,
    currency: str,
    exchange_rate: Decimal,
    fees: Decimal,
    reference: str = "",
) -> Disbursement:
    """Record that a payable tranche was paid: what was sent (amount, currency, exchange rate,
    fees, reference, date), to which verified bank details; status PAID with a history row,
    and a "payment made" email to each member of the grantee organisation (once per tranche).
    Then the grant is completed if this was all it waited for.

    Only the secretariat may; a tranche still waiting for its condition (or paid already: a
    second click) cannot be paid; nor can one whose organisation's bank details are missing or
    changed since their verification. Raises ``TransitionNotAllowed`` or ``PaymentError``
    (``errors``: field → message); then nothing changes.
    """
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can record payments."))
    locked = lock_for_transition(
        disbursement,
        workflow=DISBURSEMENT_WORKFLOW,
        target=DisbursementStatus.PAID,
        role=Role.SECRETARIAT,
        related=("initiative__lead_organisation",),
    )
    currency = (currency or "").strip().upper()
    problems = payment_problems(
        disbursement=locked,
        paid_on=paid_on,
        amount_sent=amount_sent,
        currency=currency,
        exchange_rate=exchange_rate,
        fees=fees,
    )
    if problems:
        raise PaymentError(" ".join(problems.values()), problems)
    organisation = locked.initiative.lead_organisation
    payee = verified_payee(organisation)
    if payee is None:
        raise PaymentError(payee_problem(organisation) or _("The bank details are not verified."))
    paid = perform_transition(
        obj=locked,
        workflow=DISBURSEMENT_WORKFLOW,
        target=DisbursementStatus.PAID,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        comment=reference.strip(),
        changes={
            "paid_on": paid_on,
            "reference": reference.strip(),
            "amount_sent": amount_sent,
            "sent_currency": currency,
            "exchange_rate": exchange_rate,
            "fees": fees,
            "payee": payee,
            "recorded_by": actor,
        },
    )
    initiative = locked.initiative
    notify_many(
        recipients=organisation_members(organisation),
        kind=kinds.DISBURSEMENT_PAID,
        sender=sender_of(initiative.edition),
        key=f"disbursement:{paid.pk}:paid",
        context={
            "initiative": initiative.title,
            "organisation": organisation.name,
            "tranche": paid.tranche,
            "amount": amount_text(amount_sent),
            "currency": currency,
            "paid_on": paid_on.isoformat(),
        },
        url_name="portal:payment_received",
        url_kwargs={"pk": paid.pk},
    )
    initiative_complete_if_done(initiative=initiative)
    return paid


def received_differs(
    disbursement: Disbursement, *, amount: Decimal, currency: str, tolerance: Decimal
) -> bool:
    """Whether ``amount`` in ``currency`` differs from the payment by more than ``tolerance``
    percent: compared with the amount sent when it came in the currency sent, with the
    tranche's amount when in the grant's currency; in a third currency it cannot be compared,
    so it is flagged too."""
    if currency == disbursement.sent_currency and disbursement.amount_sent:
        expected = disbursement.amount_sent
    elif currency == disbursement.currency:
        expected = disbursement.amount
    else:
        return True
    return abs(amount - expected) * 100 > expected * tolerance


@transaction.atomic
def disbursement_confirm_received(
    *,
    disbursement: Disbursement,
    actor,
    amount: Decimal,
    currency: str,
    received_on: datetime.date,
) -> Disbursement:
    """A member of the grantee organisation says what reached its account for a paid tranche
    (once: a second confirmation is refused). A difference from the payment beyond
    ``PAYMENT_RECEIVED_TOLERANCE_PERCENT`` (or another currency) is flagged on the tranche
    and the secretariat is told. Raises ``PaymentError`` (``errors``: field → message)."""
    locked = lock(disbursement, related=("initiative__lead_organisation",))
    organisation = locked.initiative.lead_organisation
    if not is_member(actor, organisation.pk):
        raise PaymentError(_("Only members of the organisation can confirm what it received."))
    if locked.status != DisbursementStatus.PAID:
        raise PaymentError(_("This tranche has not been paid yet."))
    if locked.is_received_confirmed:
        raise PaymentError(
            _(
                "The amount received for this tranche was confirmed already. Write to the "
                "secretariat to correct it."
            )
        )
    currency = (currency or "").strip().upper()
    problems = {}
    if amount is None or amount <= 0:
        problems["amount"] = _("The amount received must be more than zero.")
    if not CURRENCY.match(currency):
        problems["currency"] = _("Give the three-letter ISO 4217 code, for example USD or EUR.")
    if received_on is None:
        problems["received_on"] = _("Give the date the money reached your account.")
    elif received_on > timezone.localdate():
        problems["received_on"] = _("The date cannot be in the future.")
    if problems:
        raise PaymentError(" ".join(problems.values()), problems)
    tolerance = Decimal(str(settings.PAYMENT_RECEIVED_TOLERANCE_PERCENT))
    differs = received_differs(locked, amount=amount, currency=currency, tolerance=tolerance)
    locked.amount_received = amount
    locked.received_currency = currency
    locked.received_on = received_on
    locked.received_confirmed_at = timezone.now()
    locked.received_confirmed_by = actor
    locked.has_received_difference = differs
    locked.save(
        update_fields=[
            "amount_received",
            "received_currency",
            "received_on",
            "received_confirmed_at",
            "received_confirmed_by",
            "has_received_difference",
        ]
    )
    if differs:
        notify_many(
            recipients=secretariat_users(),
            kind=kinds.PAYMENT_RECEIVED_DIFFERENCE,
            sender=sender_of(locked.initiative.edition),
            key=f"disbursement:{locked.pk}:received",
            context={
                "initiative": locked.initiative.title,
                "organisation": organisation.name,
                "tranche": locked.tranche,
                "amount_sent": amount_text(locked.amount_sent),
                "sent_currency": locked.sent_currency,
                "amount_received": amount_text(amount),
                "received_currency": currency,
            },
            url_name="admin:grants_disbursement_change",
            url_kwargs={"object_id": locked.pk},
        )
    return locked


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
