"""Access-matrix cases of the results page of a report (the format is
tests/portal/test_access_matrix.py's): only the secretariat reaches it, a grantee of either
organisation finds nothing there and publishes nothing."""

from __future__ import annotations

from tests.portal.access import AccessCase, ListCase, World


def access_cases(world: World) -> list[AccessCase | ListCase]:
    a, b = world.a, world.b
    cases: list[AccessCase | ListCase] = []
    for user in (a.admin, a.member, world.reviewer):
        for report in (b.report, a.report):
            cases.append(
                AccessCase(
                    "secretariat:report_results",
                    {"pk": report.pk},
                    user=user,
                    data={"highlights": "on", "photos": [b.attachment.pk]},
                    allowed=(world.secretary, {"pk": report.pk}),
                )
            )
    return cases
