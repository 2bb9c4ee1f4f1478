"""The organisation's own pages in the portal: its profile, its members and invitations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import read_version
from core.views import (
    held_post,
    login_required_keeping_input,
    post_only,
    release_held_post,
)
from organisations import services
from organisations.errors import StaleProfile
from organisations.models import Invitation, Membership
from organisations.selectors import member_organisations
from organisations.workflow import PublicChangeStatus

from ..forms.accounts import InviteColleagueForm, MemberRoleForm, OrganisationProfileForm


def _organisation(request, pk: int):
    return get_object_or_404(member_organisations(request.user), pk=pk)


def _role(request, organisation) -> str | None:
    return (
        Membership.objects.filter(user=request.user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def _proposal_notes(organisation):
    """The pending proposal (waiting for the secretariat), and the last decision when it was a
    rejection nothing has replaced yet (its reason, and what was proposed, kept)."""
    pending = services.pending_change(organisation)
    rejected = None
    if pending is None:
        decided = (
            organisation.public_changes.filter(
                status__in=(PublicChangeStatus.APPROVED, PublicChangeStatus.REJECTED)
            )
            .order_by("-pk")
            .first()
        )
        if decided is not None and decided.status == PublicChangeStatus.REJECTED:
            rejected = decided
            rejected.decision = decided.history.order_by("-pk").first()
    return pending, rejected


@login_required_keeping_input
def organisation_profile(request, pk: int):
    organisation = _organisation(request, pk)
    language = request.user.language
    pending, rejected = _proposal_notes(organisation)
    proposed = pending.values if pending else {}
    data = request.POST if request.method == "POST" else held_post(request)
    form = OrganisationProfileForm(
        data, organisation=organisation, language=language, proposed=proposed
    )
    status = 200
    saved_now = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_profile_update(
                organisation=organisation,
                actor=request.user,
                values=form.cleaned_data,
                language=language,
                read_version=read_version(form.cleaned_data),
            )
        except StaleProfile as error:
            # Refused, not lost: the text typed stays in the form, now carrying the current
            # version, beside what is saved now.
            messages.error(request, error.message)
            organisation.refresh_from_db()
            pending, rejected = _proposal_notes(organisation)
            saved_now = OrganisationProfileForm(
                organisation=organisation,
                language=language,
                proposed=pending.values if pending else {},
            ).initial
            typed = request.POST.copy()
            typed["version"] = str(organisation.version)
            form = OrganisationProfileForm(typed, organisation=organisation, language=language)
            status = 409
        except DomainError as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            if saved.proposal is not None and saved.proposal_changed:
                messages.success(
                    request,
                    _(
                        "The profile was saved. The presentation, city and website wait for "
                        "the secretariat's approval: the public pages show the approved "
                        "version until then."
                    ),
                )
            elif saved:
                messages.success(request, _("The profile was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("portal:organisation", pk=organisation.pk)
    changes = list(organisation.changes.select_related("actor")[:20])
    return render(
        request,
        "portal/organisation.html",
        {
            "organisation": organisation,
            "form": form,
            "changes": changes,
            "pending": pending,
            "rejected": rejected,
            "saved_now": saved_now,
            "saved_labels": {name: field.label for name, field in form.fields.items()},
        },
        status=status,
    )


@login_required_keeping_input
def organisation_members(request, pk: int):
    organisation = _organisation(request, pk)
    is_admin = _role(request, organisation) == Membership.Role.ADMIN
    form = None
    if is_admin:
        form = InviteColleagueForm(
            request.POST if request.method == "POST" else held_post(request),
            initial={"language": request.user.language},
        )
        if request.method == "POST" and form.is_valid():
            try:
                invitation = services.colleague_invite(
                    organisation=organisation,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    language=form.cleaned_data["language"],
                )
            except DomainError as error:
                form.add_error("email", error.message)
            else:
                release_held_post(request)
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("portal:members", pk=organisation.pk)
    elif request.method == "POST":
        messages.error(request, _("Only an administrator of the organisation can invite people."))
        return redirect("portal:members", pk=organisation.pk)
    memberships = list(
        organisation.memberships.select_related("user").order_by("user__full_name", "user__email")
    )
    invitations = (
        list(
            Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created_at")
        )
        if is_admin
        else []
    )
    return render(
        request,
        "portal/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "is_admin": is_admin,
            "form": form,
            "roles": Membership.Role.choices,
        },
    )


@login_required_keeping_input(hold=False)
def membership_role(request, pk: int, membership: int):
    """An administrator changes a member's role (making them a signatory, say)."""
    organisation = _organisation(request, pk)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership, organisation=organisation
    )
    if refused := post_only(request):
        return refused
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles offered."))
        return redirect("portal:members", pk=organisation.pk)
    before = target.role
    try:
        changed = services.membership_set_role(
            membership=target, actor=request.user, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if changed.role != before:
            messages.success(
                request,
                _("%(person)s is now: %(role)s.")
                % {"person": target.user.get_full_name(), "role": changed.get_role_display()},
            )
        else:
            messages.info(request, _("Nothing was changed."))
    return redirect("portal:members", pk=organisation.pk)


@login_required_keeping_input(hold=False)
def membership_remove(request, pk: int, membership: int):
    organisation = _organisation(request, pk)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership, organisation=organisation
    )
    if refused := post_only(request):
        return refused
    try:
        services.membership_remove(membership=target, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:members", pk=organisation.pk)
    if target.user_id == request.user.pk:
        messages.success(
            request, _("You left %(organisation)s.") % {"organisation": organisation.name}
        )
        return redirect("portal:home")
    messages.success(
        request,
        _("%(person)s is no longer a member of %(organisation)s.")
        % {"person": target.user.get_full_name(), "organisation": organisation.name},
    )
    return redirect("portal:members", pk=organisation.pk)
