"""Invitations to join an organisation: sent by the secretariat or by the organisation's
administrator, accepted once by the person invited."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import notifications as kinds
from ..errors import InvitationError
from ..models import Invitation, Membership, Organisation, OrganisationChange
from ..selectors import is_organisation_admin
from .members import member_label


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    invited_by,
    role: str = Membership.Role.MEMBER,
    language: str = "en",
) -> Invitation:
    """Invite a person by email to join ``organisation``; the email goes out after commit.

    An open invitation to the same address for the same organisation is replaced (the old
    link stops working), so inviting again is how a lost or expired link is renewed.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise InvitationError(_("This person is already a member of the organisation."))
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).delete()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        language=language,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    with translation.override(language):
        path = reverse("accounts:invitation", kwargs={"token": invitation.token})
    notify(
        kind=kinds.INVITATION,
        key=f"invitation:{invitation.pk}",
        email=email,
        language=language,
        path=path,
        context={
            "organisation": organisation.name,
            "inviter": invited_by.get_full_name() if invited_by else organisation.name,
            "expires_on": invitation.expires_at.date().isoformat(),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, full_name: str, password: str | None, language: str, user=None
):
    """Use an invitation once: create the person's account (or take the logged-in ``user``),
    join them to the organisation and close the invitation. Returns the user.

    Raises ``InvitationError`` when the invitation was used already or has expired.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired. Ask the person who invited you for a new one.")
        )
    users = get_user_model().objects
    if user is None:
        if users.filter(email__iexact=invitation.email).exists():
            raise InvitationError(
                _("An account with this email address exists: log in to accept the invitation.")
            )
        user = users.create_user(
            email=invitation.email, password=password, full_name=full_name, language=language
        )
    elif user.email.lower() != invitation.email.lower():
        raise InvitationError(_("This invitation was sent to another email address."))
    _membership, joined = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if joined:
        OrganisationChange.objects.create(
            organisation=invitation.organisation,
            actor=user,
            field=OrganisationChange.MEMBERS,
            new_value=member_label(user.email, invitation.role),
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def colleague_invite(
    *, organisation: Organisation, actor, email: str, role: str, language: str
) -> Invitation:
    """An organisation administrator invites a colleague by email (see ``invitation_create``).

    Raises ``InvitationError`` when ``actor`` is not an administrator of ``organisation`` or the
    person is a member already.
    """
    if not is_organisation_admin(actor, organisation.pk):
        raise InvitationError(_("Only an administrator of the organisation can invite people."))
    return invitation_create(
        organisation=organisation, email=email, invited_by=actor, role=role, language=language
    )
