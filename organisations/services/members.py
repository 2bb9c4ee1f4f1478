"""Writes about an organisation's members (their roles, leaving) and its profile in the
portal: every change is recorded (who, when, before, after) for the secretariat."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import OrganisationError, StaleProfile
from ..models import Membership, Organisation, OrganisationChange, PublicProfileChange
from ..selectors import is_member
from .public import PUBLIC_FIELDS, propose_public_change, public_columns

# What members may change of their organisation's profile in the portal; the name, kind and
# identifiers stay with the secretariat.
PROFILE_FIELDS = ("website", "email", "phone", "city")


def member_label(email: str, role: str) -> str:
    return f"{email} ({Membership.Role(role).label})"


@dataclass(frozen=True)
class ProfileSaved:
    """What a member's save of the profile did: the contact fields changed at once
    (``changes``), and the proposal of public fields waiting for approval (``proposal``: the
    pending one, or None when nothing waits)."""

    changes: list[OrganisationChange]
    proposal: PublicProfileChange | None
    proposal_changed: bool

    def __bool__(self) -> bool:
        return bool(self.changes) or self.proposal_changed


@transaction.atomic
def organisation_profile_update(
    *,
    organisation: Organisation,
    actor,
    values: Mapping[str, str],
    language: str,
    read_version: int,
) -> ProfileSaved:
    """Save a member's edit of their organisation's profile.

    ``values`` holds the contact fields of ``PROFILE_FIELDS`` and ``description``, stored in
    ``language`` (the member's): what grantees type is kept as typed, in its language. The
    contact fields (email, phone) change at once, each change recorded (who, when, before,
    after). What the public reads (``PUBLIC_FIELDS``: website, city, the presentation) waits
    for the secretariat's approval in the organisation's one pending ``PublicProfileChange``
    (``propose_public_change``); the public pages keep the approved text meanwhile.

    ``read_version`` is the ``Organisation.version`` the form was read at: when someone
    changed the profile since (a colleague, the secretariat in the back office),
    ``StaleProfile`` is raised and nothing is written over their change. Raises
    ``OrganisationError`` when ``actor`` is not a member.
    """
    if not is_member(actor, organisation.pk):
        raise OrganisationError(_("Only members of the organisation can change its profile."))
    if language not in dict(settings.LANGUAGES):
        raise OrganisationError(_("Unknown language."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.version != read_version:
        raise StaleProfile(
            _(
                "Someone changed this profile after you opened it. What you typed is below, "
                "not saved: compare it with what is saved now, then save again."
            )
        )
    changes = []
    for column in PROFILE_FIELDS:
        if column in PUBLIC_FIELDS or column not in values:
            continue
        old = getattr(locked, column) or ""
        new = (values[column] or "").strip()
        if old != new:
            setattr(locked, column, new)
            changes.append(
                OrganisationChange(
                    organisation=locked, actor=actor, field=column, old_value=old, new_value=new
                )
            )
    proposed = {
        column: (values[key] or "").strip()
        for key, column in public_columns(language).items()
        if key in values
    }
    proposal, proposal_changed = propose_public_change(
        organisation=locked, actor=actor, values=proposed
    )
    if changes or proposal_changed:
        # Every save moves the version on, a proposal's too: a colleague's open form is stale.
        locked.version += 1
        locked.save(update_fields=[change.field for change in changes] + ["version", "updated_at"])
        OrganisationChange.objects.bulk_create(changes)
    return ProfileSaved(changes=changes, proposal=proposal, proposal_changed=proposal_changed)


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    """An organisation administrator gives a member another role (administrator, member or
    signatory, who signs the grant agreements), and the change is recorded.

    Only an administrator may; the last administrator keeps the role, so someone is always
    left who can invite and name signatories. Raises ``OrganisationError`` otherwise; then
    nothing changes. Setting the role a person has already changes nothing.
    """
    if role not in Membership.Role.values:
        raise OrganisationError(_("Choose one of the roles offered."))
    # Every membership of the organisation locked, as for removing: two administrators
    # demoting each other at once must not leave it with none.
    memberships = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id)
        .select_related("user")
    )
    target = next((m for m in memberships if m.pk == membership.pk), None)
    if target is None:
        raise OrganisationError(_("This person is no longer a member."))
    actor_membership = next((m for m in memberships if m.user_id == actor.pk), None)
    if actor_membership is None or actor_membership.role != Membership.Role.ADMIN:
        raise OrganisationError(
            _("Only an administrator of the organisation can change members' roles.")
        )
    if target.role == role:
        return target
    admins = [m for m in memberships if m.role == Membership.Role.ADMIN]
    if target.role == Membership.Role.ADMIN and len(admins) == 1:
        raise OrganisationError(
            _(
                "%(person)s is the organisation's only administrator and keeps that role. "
                "Make someone else an administrator first."
            )
            % {"person": target.user.get_full_name()}
        )
    OrganisationChange.objects.create(
        organisation_id=target.organisation_id,
        actor=actor,
        field=OrganisationChange.MEMBERS,
        old_value=member_label(target.user.email, target.role),
        new_value=member_label(target.user.email, role),
    )
    target.role = role
    target.save(update_fields=["role"])
    return target


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
        old_value=member_label(target.user.email, target.role),
    )
    target.delete()
