"""Access-matrix cases of the secretariat's personal-data page and import template (the format
is tests/portal/test_access_matrix.py's): only the secretariat reaches them; a grantee or a
reviewer finds nothing there, exports nothing and erases nothing."""

from __future__ import annotations

from tests.portal.access import AccessCase, World


def access_cases(world: World) -> list[AccessCase]:
    a, b = world.a, world.b
    cases: list[AccessCase] = []
    for user in (a.admin, a.member, world.reviewer):
        for kwargs in (
            {"kind": "organisation", "pk": b.organisation.pk},
            {"kind": "person", "pk": b.admin.pk},
            {"kind": "organisation", "pk": a.organisation.pk},
            {"kind": "person", "pk": a.admin.pk},
        ):
            cases.append(
                AccessCase(
                    "secretariat:personal_data",
                    kwargs,
                    user=user,
                    data={"erase": "1", "confirm": "on"},
                    allowed=(world.secretary, kwargs),
                )
            )
        cases.append(
            AccessCase(
                "secretariat:import_template",
                {"fmt": "xlsx"},
                user=user,
                allowed=(world.secretary, {"fmt": "xlsx"}),
            )
        )
    return cases
