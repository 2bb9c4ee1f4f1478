"""``{% portal_menu as menu %}``: which entries of the portal's menu apply to the person, so
that nobody is offered "my applications" or "my reviews" they cannot have."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from core.staff import REVIEWER
from grants.models import ReviewAssignment
from organisations.models import Membership

register = template.Library()


@dataclass(frozen=True)
class Menu:
    applications: bool = False  # a member of an organisation: it may apply, or has applied
    reviews: bool = False  # a reviewer: in the Reviewer group, or given applications to review


@register.simple_tag(takes_context=True)
def portal_menu(context) -> Menu:
    """One query, once per request, whatever the person has."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return Menu()
    request = context.get("request")
    known = getattr(request, "_portal_menu", None)
    if known is not None:
        return known
    User = get_user_model()
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            member=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            assigned=Exists(ReviewAssignment.objects.filter(reviewer=OuterRef("pk"))),
            reviewer=Exists(
                User.groups.through.objects.filter(user=OuterRef("pk"), group__name=REVIEWER)
            ),
        )
        .values("member", "assigned", "reviewer")
        .first()
    ) or {}
    menu = Menu(
        applications=bool(row.get("member")),
        reviews=bool(row.get("assigned") or row.get("reviewer")),
    )
    if request is not None:
        request._portal_menu = menu
    return menu
