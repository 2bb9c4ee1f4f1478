"""Access-matrix cases of the portal and of the accounts pages (format: test_access_matrix)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .access import AccessCase, Exempt, ListCase, World
from .agreement_cases import agreement_cases
from .payment_cases import payment_cases


def reset_link(user) -> dict:
    user.refresh_from_db()  # the token depends on the last login, which other cases change
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def access_cases(world: World) -> list[AccessCase | ListCase | Exempt]:
    a, b = world.a, world.b
    own_org, other_org = {"pk": a.organisation.pk}, {"pk": b.organisation.pk}
    own_initiative, other_initiative = {"pk": a.initiative.pk}, {"pk": b.initiative.pk}
    own_report, other_report = {"pk": a.report.pk}, {"pk": b.report.pk}
    report_post = {
        "version": str(b.report.version),
        "challenges": "Overwritten by A",
        "lessons": "x",
        "highlights": "x",
        "save": "1",
    }
    cases: list[AccessCase | ListCase | Exempt] = []
    for user in (a.admin, a.member, world.reviewer):
        cases += [
            AccessCase(
                "portal:organisation",
                other_org,
                user=user,
                data={"description": "Taken over", "website": "https://a.example.org"},
                allowed=(a.admin, own_org),
            ),
            AccessCase(
                "portal:members",
                other_org,
                user=user,
                data={"email": "intruder@example.org", "role": "admin", "language": "en"},
                allowed=(a.admin, own_org),
            ),
            AccessCase(
                "portal:member_remove",
                {"pk": b.organisation.pk, "membership": b.membership.pk},
                user=user,
                allowed=(a.admin, {"pk": a.organisation.pk, "membership": a.membership.pk}),
            ),
            AccessCase(
                "portal:workplan", other_initiative, user=user, allowed=(a.admin, own_initiative)
            ),
            AccessCase(
                "portal:workplan_section",
                {"pk": b.initiative.pk, "section": "lines"},
                user=user,
                data={"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-0-title": "X"},
                allowed=(a.admin, {"pk": a.initiative.pk, "section": "lines"}),
            ),
            AccessCase(
                "portal:workplan_submit",
                other_initiative,
                user=user,
                allowed=(a.admin, own_initiative),
            ),
            AccessCase(
                "secretariat:workplan_review",
                other_initiative,
                user=user,
                data={"comment": "Changed by A", "request_changes": "1"},
                allowed=(world.secretary, other_initiative),
            ),
            AccessCase("portal:report", other_report, user=user, allowed=(a.admin, own_report)),
            AccessCase(
                "portal:report_edit",
                other_report,
                user=user,
                data=report_post,
                allowed=(a.admin, own_report),
            ),
            AccessCase(
                "portal:report_versions",
                other_report,
                user=user,
                query="?from=1&to=2",
                allowed=(a.admin, own_report),
            ),
            AccessCase(
                "secretariat:report_review",
                other_report,
                user=user,
                data={"comment": "Accepted by A", "accept": "1"},
                allowed=(world.secretary, other_report),
            ),
            AccessCase(
                "portal:report_attachments",
                other_report,
                user=user,
                data={"caption": "Intruder"},
                allowed=(a.admin, own_report),
            ),
            AccessCase(
                "portal:attachment",
                {"pk": b.attachment.pk},
                user=user,
                allowed=(a.admin, {"pk": a.attachment.pk}),
            ),
            AccessCase(
                "portal:attachment_delete",
                {"pk": b.attachment.pk},
                user=user,
                allowed=(a.admin, {"pk": a.attachment.pk}),
            ),
        ]
    # One organisation's id with another's membership: the pair must belong together.
    cases.append(
        AccessCase(
            "portal:member_remove",
            {"pk": a.organisation.pk, "membership": b.membership.pk},
            allowed=(a.admin, {"pk": a.organisation.pk, "membership": a.membership.pk}),
        )
    )
    # The secretariat reads every report, but writes in none.
    cases += [
        AccessCase("portal:report_edit", other_report, user=world.secretary, data=report_post),
        AccessCase(
            "portal:workplan_section",
            {"pk": b.initiative.pk, "section": "lines"},
            user=world.secretary,
        ),
        AccessCase("portal:attachment_delete", {"pk": b.attachment.pk}, user=world.secretary),
    ]
    # Accounts: an invitation to B, opened by someone logged in with another address, says
    # nothing about it; a password-reset link made for A's user does not open B's account.
    cases += [
        AccessCase(
            "accounts:invitation",
            {"token": b.invitation.token},
            data={"full_name": "A", "language": "en", "password1": "x", "password2": "x"},
            allowed=(None, {"token": b.invitation.token}),
        ),
        AccessCase(
            "accounts:password_reset_confirm",
            {
                "uidb64": urlsafe_base64_encode(force_bytes(b.admin.pk)),
                "token": default_token_generator.make_token(a.admin),
            },
            data={"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
            allowed=(None, lambda: reset_link(b.admin)),
        ),
    ]
    # Lists.
    cases += [
        ListCase(
            "portal:home",
            hidden=("Organisation B", "Initiative of B"),
            shown=("Organisation A", "Initiative of A"),
        ),
        ListCase(
            "portal:home",
            user=a.member,
            hidden=("Organisation B", "Initiative of B"),
            shown=("Organisation A", "Initiative of A"),
        ),
        ListCase(
            "portal:members",
            own_org,
            hidden=("admin-b@example.org", "member-b@example.org", "invited-b@example.org"),
            shown=("admin-a@example.org", "member-a@example.org", "invited-a@example.org"),
        ),
        ListCase(
            "portal:report_attachments",
            own_report,
            hidden=("photo-b.png", "Photo of B"),
            shown=("photo-a.png", "Photo of A"),
        ),
        ListCase(
            "portal:report_versions",
            own_report,
            query="?from=1&to=2",
            hidden=("Challenges of B",),
            shown=("Challenges of A",),
        ),
        ListCase(
            "portal:report",
            own_report,
            hidden=("Challenges of B", "photo-b.png"),
            shown=("Challenges of A", "photo-a.png"),
        ),
        ListCase("notifications:list", hidden=("Initiative of B", "Organisation B")),
    ]
    cases += agreement_cases(world)
    cases += payment_cases(world)
    return cases
