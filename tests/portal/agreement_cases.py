"""Access-matrix cases of the grant agreement's pages and of the members' roles (added to the
portal's by ``access_cases.py``): another organisation's agreement is a 404 for everyone, and
the signing addresses are a 404 for anyone of the organisation who is not a signatory."""

from __future__ import annotations

from grants.services import agreement_issue
from organisations.models import Membership

from .access import AccessCase, World
from .factories import make_member


def agreement_cases(world: World) -> list[AccessCase]:
    a, b = world.a, world.b
    signatories = {
        letter: make_member(
            side.organisation,
            role=Membership.Role.SIGNATORY,
            email=f"signatory-{letter}@example.org",
            full_name=f"Signatory {letter.upper()}",
        )
        for letter, side in (("a", a), ("b", b))
    }
    own, theirs = (
        agreement_issue(initiative=side.initiative, actor=world.secretary) for side in (a, b)
    )
    world.extra.update(agreement_a=own, agreement_b=theirs)
    sign = {"full_name": "Intruder", "accept": "on", "sha256": theirs.pdf_sha256}
    own_sign = {**sign, "sha256": own.pdf_sha256}
    cases = []
    for user in (a.admin, a.member, signatories["a"], world.reviewer):
        cases += [
            AccessCase(
                "portal:agreement",
                {"pk": b.initiative.pk},
                user=user,
                allowed=(a.admin, {"pk": a.initiative.pk}),
            ),
            AccessCase(
                "portal:agreement_pdf",
                {"pk": theirs.pk},
                user=user,
                allowed=(a.member, {"pk": own.pk}),
            ),
            AccessCase(
                "portal:agreement_sign",
                {"pk": theirs.pk},
                user=user,
                data=sign,
                allowed=(signatories["a"], {"pk": own.pk}),
            ),
            AccessCase(
                "portal:agreement_scan",
                {"pk": theirs.pk},
                user=user,
                data={"sha256": theirs.pdf_sha256},
                allowed=(signatories["a"], {"pk": own.pk}),
            ),
            AccessCase(
                "portal:member_role",
                {"pk": b.organisation.pk, "membership": b.membership.pk},
                user=user,
                data={"role": "admin"},
                allowed=(a.admin, {"pk": a.organisation.pk, "membership": a.membership.pk}),
            ),
        ]
    # In the organisation itself, only a signatory reaches the signing addresses.
    for user in (a.admin, a.member, world.secretary):
        cases += [
            AccessCase("portal:agreement_sign", {"pk": own.pk}, user=user, data=own_sign),
            AccessCase(
                "portal:agreement_scan",
                {"pk": own.pk},
                user=user,
                data={"sha256": own.pdf_sha256},
            ),
        ]
    # One organisation's id with another's membership: the pair must belong together.
    cases.append(
        AccessCase(
            "portal:member_role",
            {"pk": a.organisation.pk, "membership": b.membership.pk},
            data={"role": "admin"},
        )
    )
    return cases
