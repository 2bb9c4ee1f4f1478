"""Reads about who belongs where: the root of every portal query, who is secretariat, who
reviews."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.staff import REVIEWER, SECRETARIAT

# Asked here by the apps above; it lives in core.staff, where programme can ask it too.
from core.staff import is_secretariat as is_secretariat

from .models import Membership, Organisation


def member_organisations(user) -> QuerySet[Organisation]:
    """The organisations ``user`` belongs to: every portal query starts here, so one
    organisation never reaches another's rows."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def is_member(user, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()
    )


def is_organisation_admin(user, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=organisation_id, role=Membership.Role.ADMIN
        ).exists()
    )


def secretariat_users():
    """Active people of the Secretariat group: they receive the secretariat's notifications."""
    return get_user_model().objects.filter(is_active=True, groups__name=SECRETARIAT)


def reviewers():
    """Active people of the Reviewer group: the panel the secretariat assigns from."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REVIEWER)
        .order_by("full_name", "email")
    )


def organisation_members(organisation: Organisation):
    """The people of ``organisation`` who receive its notifications."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("pk")
    )
