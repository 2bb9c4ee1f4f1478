"""Access-matrix cases of an organisation's money pages: its bank details and the confirmation
of a payment received (format: tests/portal/test_access_matrix.py)."""

from __future__ import annotations

from decimal import Decimal

from grants.models import Disbursement
from tests.grants.lifecycle import PAYEE
from tests.portal.access import AccessCase, Exempt, ListCase, World


def tranche(initiative) -> Disbursement:
    return Disbursement.objects.create(
        initiative=initiative, tranche=9, amount=Decimal("100.00"), currency="USD"
    )


def access_cases(world: World) -> list[AccessCase | ListCase | Exempt]:
    a, b = world.a, world.b
    own, other = tranche(a.initiative), tranche(b.initiative)
    cases: list[AccessCase | ListCase | Exempt] = []
    for user in (a.admin, a.member, world.reviewer):
        cases += [
            AccessCase(
                "portal:payee",
                {"pk": b.organisation.pk},
                user=user,
                data={**PAYEE, "version": "0"},
                allowed=(a.admin, {"pk": a.organisation.pk}),
            ),
            AccessCase(
                "portal:payment_received",
                {"pk": other.pk},
                user=user,
                data={"amount": "100", "currency": "USD", "received_on": "2024-01-01"},
                allowed=(a.admin, {"pk": own.pk}),
            ),
        ]
    return cases
