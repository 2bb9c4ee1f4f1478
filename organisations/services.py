"""Writes about people and organisations: invitations, memberships and the portal profile."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation, OrganisationChange
from .notifications import Kind, notify
from .selectors import is_member, is_organisation_admin


class InvitationError(Exception):
    """The invitation cannot be used (already used, expired) or cannot be sent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        kind=Kind.INVITATION,
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
            new_value=_member_label(user.email, invitation.role),
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


class OrganisationError(Exception):
    """A change to an organisation or its members that is not allowed; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# What members may change of their organisation's profile in the portal; the name, kind and
# identifiers stay with the secretariat.
PROFILE_FIELDS = ("website", "email", "phone", "city")


def _member_label(email: str, role: str) -> str:
    return f"{email} ({Membership.Role(role).label})"


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


@transaction.atomic
def organisation_profile_update(
    *, organisation: Organisation, actor, values: Mapping[str, str], language: str
) -> list[OrganisationChange]:
    """Save a member's edit of their organisation's profile and record every changed field
    (who, when, before, after) for the secretariat. Returns the changes (none when nothing
    changed).

    ``values`` holds the contact fields of ``PROFILE_FIELDS`` and ``description``, stored in
    ``language`` (the member's): what grantees type is kept as typed, in its language.
    Raises ``OrganisationError`` when ``actor`` is not a member.
    """
    if not is_member(actor, organisation.pk):
        raise OrganisationError(_("Only members of the organisation can change its profile."))
    if language not in dict(settings.LANGUAGES):
        raise OrganisationError(_("Unknown language."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    columns = {name: name for name in PROFILE_FIELDS}
    columns["description"] = f"description_{language}"
    changes = []
    for key, column in columns.items():
        if key not in values:
            continue
        old = getattr(locked, column) or ""
        new = (values[key] or "").strip()
        if old != new:
            setattr(locked, column, new)
            changes.append(
                OrganisationChange(
                    organisation=locked, actor=actor, field=column, old_value=old, new_value=new
                )
            )
    if changes:
        locked.save(update_fields=[change.field for change in changes] + ["updated_at"])
        OrganisationChange.objects.bulk_create(changes)
    return changes


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Remove a person from an organisation, and record it.

    An organisation administrator may remove anyone; any member may leave. The last
    administrator cannot be removed, so someone is always left who can invite. Raises
    ``OrganisationError`` otherwise; then nothing changes.
    """
    # Lock every membership of the organisation: two administrators removing each other at
    # the same moment must not leave it with none.
    memberships = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id)
        .select_related("user")
    )
    target = next((m for m in memberships if m.pk == membership.pk), None)
    if target is None:
        raise OrganisationError(_("This person is no longer a member."))
    actor_membership = next((m for m in memberships if m.user_id == actor.pk), None)
    if actor_membership is None or (
        actor_membership.role != Membership.Role.ADMIN and target.user_id != actor.pk
    ):
        raise OrganisationError(_("Only an administrator of the organisation can remove members."))
    admins = [m for m in memberships if m.role == Membership.Role.ADMIN]
    if target.role == Membership.Role.ADMIN and len(admins) == 1:
        raise OrganisationError(
            _(
                "%(person)s is the organisation's only administrator and cannot be removed. "
                "Ask the secretariat to name another administrator first."
            )
            % {"person": target.user.get_full_name()}
        )
    OrganisationChange.objects.create(
        organisation_id=target.organisation_id,
        actor=actor,
        field=OrganisationChange.MEMBERS,
        old_value=_member_label(target.user.email, target.role),
    )
    target.delete()
