"""The versions of an initiative's grant agreement, for the portal and the back office."""

from __future__ import annotations

from ..models import Agreement, Initiative
from ..workflow import AgreementStatus


def agreement_versions(initiative: Initiative) -> list[Agreement]:
    """Every version, newest first, with the people who issued and signed them."""
    return list(
        Agreement.objects.filter(initiative=initiative)
        .select_related("created_by", "signed_by", "countersigned_by")
        .order_by("-version")
    )


def current_agreement(versions: list[Agreement]) -> Agreement | None:
    """The version that counts (issued, signed or countersigned): the newest one not void."""
    return next((a for a in versions if a.status != AgreementStatus.VOID), None)
