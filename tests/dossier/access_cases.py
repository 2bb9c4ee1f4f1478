"""Access-matrix cases of the PDFs and the audit dossier (the format is
tests/portal/test_access_matrix.py's): a member of A gets a 404 for B's application or report
PDF, and everyone but the secretariat for an initiative's dossier."""

from __future__ import annotations

from tests.grants.factories import draft, open_edition
from tests.portal.access import AccessCase, Exempt, World


def access_cases(world: World) -> list[AccessCase | Exempt]:
    a, b = world.a, world.b
    edition = open_edition()
    own = draft(edition, a.organisation, actor=a.admin, title="PDF of A")
    theirs = draft(edition, b.organisation, actor=b.admin, title="PDF of B")
    cases: list[AccessCase | Exempt] = [
        Exempt(
            "secretariat:dossier_file",
            "a random token naming a ZIP the worker built for the secretariat, no organisation's "
            "object; the secretariat only (tests/dossier/test_dossier_worker.py)",
        )
    ]
    for user in (a.admin, a.member, world.reviewer):
        cases += [
            AccessCase(
                "calls:application_pdf",
                {"pk": theirs.pk},
                user=user,
                methods=("GET",),
                allowed=(a.admin, {"pk": own.pk}),
            ),
            AccessCase(
                "portal:report_pdf",
                {"pk": b.report.pk},
                user=user,
                methods=("GET",),
                allowed=(a.admin, {"pk": a.report.pk}),
            ),
        ]
        for initiative in (a.initiative, b.initiative):
            cases.append(
                AccessCase(
                    "secretariat:dossier",
                    {"pk": initiative.pk},
                    user=user,
                    methods=("GET",),
                    allowed=(world.secretary, {"pk": initiative.pk}),
                )
            )
    return cases
