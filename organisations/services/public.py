"""Changes members propose to what the public reads of their organisation, and the
secretariat's decision on them.

The organisation's row holds the approved values, which the public pages show; the proposal
(``PublicProfileChange``) holds what members typed until the secretariat approves it (the
values are applied then) or rejects it (with a reason the members read). Each organisation has
at most one pending proposal: later saves update it, and the secretariat is told once.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.workflow import Role, TransitionNotAllowed, lock_for_transition, perform_transition
from notifications.services import notify_many

from .. import notifications as kinds
from ..errors import OrganisationError
from ..models import Organisation, OrganisationChange, PublicProfileChange
from ..selectors import is_secretariat, organisation_members, secretariat_users
from ..workflow import PUBLIC_CHANGE_WORKFLOW, PublicChangeStatus

# What the public reads of an organisation that members may propose to change, beside its
# presentation (``description``, one column per language).
PUBLIC_FIELDS = ("website", "city")


def public_columns(language: str) -> dict[str, str]:
    """The profile form's public fields → the columns they are stored in for ``language``."""
    return {**{name: name for name in PUBLIC_FIELDS}, "description": f"description_{language}"}


def is_public_column(column: str) -> bool:
    name, _sep, language = column.rpartition("_")
    return column in PUBLIC_FIELDS or (
        name == "description" and language in dict(settings.LANGUAGES)
    )


def pending_change(organisation: Organisation) -> PublicProfileChange | None:
    """The organisation's proposal waiting for the secretariat, if any."""
    return organisation.public_changes.filter(status=PublicChangeStatus.PENDING).first()


def _history(change: PublicProfileChange, **fields):
    return change.history.create(**fields)


def propose_public_change(
    *, organisation: Organisation, actor, values: Mapping[str, str]
) -> tuple[PublicProfileChange | None, bool]:
    """Merge a member's ``values`` (column → text) into the organisation's pending proposal.

    Called by ``organisation_profile_update`` with the organisation's row locked. A value equal
    to what the public reads now leaves the proposal; one that differs replaces the proposed
    one. The first proposal notifies the secretariat (once: later saves update it); a proposal
    left with nothing to change is withdrawn. Returns (the pending proposal or None, whether
    anything changed).
    """
    pending = (
        PublicProfileChange.objects.select_for_update()
        .filter(organisation=organisation, status=PublicChangeStatus.PENDING)
        .first()
    )
    merged = dict(pending.values) if pending else {}
    for column, new in values.items():
        if not is_public_column(column):
            raise OrganisationError(_("This field cannot be changed here."))
        if new == (getattr(organisation, column) or ""):
            merged.pop(column, None)
        else:
            merged[column] = new
    if pending is None:
        if not merged:
            return None, False
        change = PublicProfileChange.objects.create(
            organisation=organisation, values=merged, proposed_by=actor
        )
        notify_many(
            recipients=secretariat_users(),
            kind=kinds.PUBLIC_CHANGE_PROPOSED,
            key=f"public_change:{change.pk}:proposed",
            context={"organisation": organisation.name},
            url_name="admin:organisations_publicprofilechange_change",
            url_kwargs={"object_id": change.pk},
        )
        return change, True
    if merged == pending.values:
        return pending, False
    if not merged:
        perform_transition(
            obj=pending,
            workflow=PUBLIC_CHANGE_WORKFLOW,
            target=PublicChangeStatus.WITHDRAWN,
            actor=actor,
            role=Role.MEMBER,
            history=_history,
            comment=_("Every field was put back as the public page shows it."),
        )
        return None, True
    pending.values = merged
    pending.proposed_by = actor
    pending.save(update_fields=["values", "proposed_by", "updated_at"])
    return pending, True


def _check_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise TransitionNotAllowed(_("Only the secretariat can approve changes to public pages."))


@transaction.atomic
def public_change_approve(
    *, change: PublicProfileChange, actor, comment: str = ""
) -> PublicProfileChange:
    """The secretariat approves a pending proposal: its values become the organisation's (each
    change recorded as made by the member who proposed it), which the public pages show at
    once (their cache is cleared when the organisation is saved). The members are notified.
    Approving twice, or a proposal no longer pending, raises ``TransitionNotAllowed``."""
    _check_secretariat(actor)
    locked = lock_for_transition(
        change,
        workflow=PUBLIC_CHANGE_WORKFLOW,
        target=PublicChangeStatus.APPROVED,
        role=Role.SECRETARIAT,
        related=("organisation",),
    )
    organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
    changes = []
    for column, new in sorted(locked.values.items()):
        old = getattr(organisation, column) or ""
        if is_public_column(column) and old != new:
            setattr(organisation, column, new)
            changes.append(
                OrganisationChange(
                    organisation=organisation,
                    actor=locked.proposed_by,
                    field=column,
                    old_value=old,
                    new_value=new,
                )
            )
    if changes:
        organisation.version += 1
        organisation.save(
            update_fields=[change.field for change in changes] + ["version", "updated_at"]
        )
        OrganisationChange.objects.bulk_create(changes)
    moved = perform_transition(
        obj=locked,
        workflow=PUBLIC_CHANGE_WORKFLOW,
        target=PublicChangeStatus.APPROVED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        comment=comment.strip(),
    )
    notify_many(
        recipients=organisation_members(organisation),
        kind=kinds.PUBLIC_CHANGE_APPROVED,
        key=f"public_change:{moved.pk}:approved",
        context={"organisation": organisation.name},
        url_name="portal:organisation",
        url_kwargs={"pk": organisation.pk},
    )
    return moved


@transaction.atomic
def public_change_reject(
    *, change: PublicProfileChange, actor, comment: str
) -> PublicProfileChange:
    """The secretariat rejects a pending proposal, saying why: the public pages keep the
    approved text, the proposal keeps what was typed (the members see it with the reason), and
    the members are notified. The reason is required."""
    _check_secretariat(actor)
    if not comment.strip():
        raise OrganisationError(
            _("Say why the changes are not approved: the organisation reads it.")
        )
    locked = lock_for_transition(
        change,
        workflow=PUBLIC_CHANGE_WORKFLOW,
        target=PublicChangeStatus.REJECTED,
        role=Role.SECRETARIAT,
        related=("organisation",),
    )
    moved = perform_transition(
        obj=locked,
        workflow=PUBLIC_CHANGE_WORKFLOW,
        target=PublicChangeStatus.REJECTED,
        actor=actor,
        role=Role.SECRETARIAT,
        history=_history,
        comment=comment.strip(),
    )
    notify_many(
        recipients=organisation_members(locked.organisation),
        kind=kinds.PUBLIC_CHANGE_REJECTED,
        key=f"public_change:{moved.pk}:rejected",
        context={"organisation": locked.organisation.name, "comment": comment.strip()},
        url_name="portal:organisation",
        url_kwargs={"pk": locked.organisation_id},
    )
    return moved
