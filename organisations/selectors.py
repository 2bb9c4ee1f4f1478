"""Reads about who belongs where: the root of every portal query, who is secretariat, who
reviews."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.staff import REVIEWER, SECRETARIAT

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


def is_signatory(user, organisation) -> bool:
    """True where ``user`` may sign the grant agreements of ``organisation`` (an organisation or
    its id): a member with the signatory role. Administrators do not sign by being one."""
    organisation_id = getattr(organisation, "pk", organisation)
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation_id=organisation_id, role=Membership.Role.SIGNATORY
        ).exists()
    )


def signatory_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose agreements ``user`` may sign: the root of the signing pages."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.SIGNATORY
    )


def organisation_signatories(organisation: Organisation):
    """The active people who may sign for ``organisation``: they are told of an agreement."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role=Membership.Role.SIGNATORY,
            is_active=True,
        )
        .order_by("pk")
    )


def is_secretariat(user) -> bool:
    """Staff who run the programme (the Secretariat group, or a superuser). Reviewers are staff
    too but are not secretariat. Remembered on the user object for the request."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT).exists()
        user._is_secretariat = cached
    return cached


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
