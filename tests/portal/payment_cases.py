"""Access-matrix cases of the bank details and of confirming a payment received (added to the
portal's by ``access_cases.py``): another organisation's bank details and tranches are a 404
for everyone."""

from __future__ import annotations

from decimal import Decimal

from grants.models import Disbursement

from .access import AccessCase, World


def tranche_of(initiative) -> Disbursement:
    return initiative.disbursements.order_by("tranche").first() or Disbursement.objects.create(
        initiative=initiative, tranche=1, amount=Decimal("1000")
    )


def payment_cases(world: World) -> list[AccessCase]:
    a, b = world.a, world.b
    own, theirs = tranche_of(a.initiative), tranche_of(b.initiative)
    received = {"amount": "1000", "currency": "USD", "received_on": "2024-01-10"}
    cases = []
    for user in (a.admin, a.member, world.reviewer):
        cases += [
            AccessCase(
                "portal:payee",
                {"pk": b.organisation.pk},
                user=user,
                data={"account_holder": "Intruder", "version": "0"},
                allowed=(a.admin, {"pk": a.organisation.pk}),
            ),
            AccessCase(
                "portal:payment_received",
                {"pk": theirs.pk},
                user=user,
                data=received,
                allowed=(a.member, {"pk": own.pk}),
            ),
        ]
    return cases
