"""Access-matrix cases of the secretariat's personal-data page and import template (the format
is tests/portal/test_access_matrix.py's): only the secretariat reaches them; a grantee or a
reviewer finds nothing there, exports nothing and erases nothing."""

from __future__ import annotations

from tests.portal.access import AccessCase, Exempt, World


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
    # An export's file belongs to the staff member who asked for it, not to an organisation:
    # tests/secretariat/test_exports.py checks that a reviewer, a grantee, an anonymous visitor,
    # another staff member and anyone after its expiry get a 404.
    cases.append(
        Exempt("secretariat:export_download", "the requester's own export (test_exports.py)")
    )
    return cases
