"""Reads about who belongs where: the root of every portal query, who is secretariat, who
reviews."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.staff import REVIEWER, SECRETARIAT

# Asked here by the apps above; it lives in core.staff, where programme can ask it too.
from core.staff import is_secretariat as is_secretariat

from .models import (
    Membership,
    Organisation,
    PayeeDetails,
    PayeeDetailsVersion,
    PublicProfileChange,
)
from .workflow import PublicChangeStatus

# Who may enter an organisation's bank details: its administrators and its signatories (the
# signatory role is named by its value, so this holds whether or not the role exists yet).
PAYEE_MANAGER_ROLES = (Membership.Role.ADMIN.value, "signatory")


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


def can_manage_payee(user, organisation: Organisation) -> bool:
    """Whether ``user`` may enter or change ``organisation``'s bank details: an administrator
    or a signatory of the organisation."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation=organisation, role__in=PAYEE_MANAGER_ROLES
        ).exists()
    )


def payee_details_of(organisation: Organisation) -> PayeeDetails | None:
    """The organisation's bank details with their current version, or None if never given."""
    return (
        PayeeDetails.objects.select_related("current__created_by", "current__verified_by")
        .filter(organisation=organisation)
        .first()
    )


def verified_payee(organisation: Organisation) -> PayeeDetailsVersion | None:
    """The version of the organisation's bank details a payment may be sent to: the current
    one, once verified. None when there are none, or they changed since their verification."""
    payee = payee_details_of(organisation)
    if payee is None or payee.current is None or not payee.current.is_verified:
        return None
    return payee.current


def payee_problem(organisation: Organisation) -> str | None:
    """Why no payment can be recorded to ``organisation`` yet (its bank details missing, or
    not verified since their last change), or None."""
    payee = payee_details_of(organisation)
    if payee is None or payee.current is None:
        return _("%(organisation)s has not given its bank details yet.") % {
            "organisation": organisation.name
        }
    if not payee.current.is_verified:
        return _(
            "The bank details of %(organisation)s changed and are not verified yet: another "
            "member of the secretariat must verify them first."
        ) % {"organisation": organisation.name}
    return None


def waiting_for_the_secretariat() -> dict[str, int]:
    """Bank details changed and not verified yet, and changes to public profiles to approve
    (two counts, for the secretariat's dashboard)."""
    return {
        "bank_details": PayeeDetails.objects.filter(
            current__isnull=False, current__verified_at__isnull=True
        ).count(),
        "public_changes": PublicProfileChange.objects.filter(
            status=PublicChangeStatus.PENDING
        ).count(),
    }
