"""The workplan in the portal: members edit and submit it, the secretariat reviews it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grants import workplans
from grants.models import InitiativeStatusChange
from grants.workflow import WorkplanStatus
from programme.workflow import TransitionNotAllowed

from ..forms import WorkplanReviewForm, workplan_formset
from .access import (
    can_write,
    get_initiative,
    held_post,
    labelled,
    portal_login_required,
    post_only,
    release_held_post,
    require_secretariat,
)


def _workplan_context(initiative) -> dict:
    """The whole workplan, in a fixed number of queries."""
    lines = list(initiative.lines_of_action.all())
    activities = list(initiative.activities.select_related("line_of_action__initiative"))
    budget_lines = list(initiative.budget_lines.select_related("line_of_action__initiative"))
    indicators = list(initiative.indicators.select_related("line_of_action__initiative"))
    total = sum((line.amount for line in budget_lines), 0)
    history = labelled(
        InitiativeStatusChange.objects.filter(initiative=initiative, workflow="workplan")
        .select_related("actor")
        .order_by("-created_at", "-pk"),
        WorkplanStatus,
    )
    return {
        "initiative": initiative,
        "lines": lines,
        "activities": activities,
        "budget_lines": budget_lines,
        "indicators": indicators,
        "budget_total": total,
        "budget_left": initiative.amount_awarded - total,
        "budget_over": max(total - initiative.amount_awarded, 0),
        "history": history,
        "last_request": next(
            (row for row in history if row.to_status == "changes_requested"), None
        ),
        "is_editable": workplans.workplan_is_editable(initiative),
        "sections": workplans.SECTIONS,
    }


@portal_login_required
def workplan(request, pk: int):
    initiative = get_initiative(request, pk)
    context = _workplan_context(initiative)
    context["can_write"] = can_write(request, initiative.lead_organisation_id)
    context["editable"] = context["can_write"] and context["is_editable"]
    context["problems"] = workplans.workplan_problems(initiative) if context["editable"] else []
    return render(request, "portal/workplan.html", context)


@portal_login_required
def workplan_section(request, pk: int, section: str):
    initiative = get_initiative(request, pk, write=True)
    if section not in workplans.SECTIONS:
        raise Http404
    spec = workplans.SECTIONS[section]
    closed = _("The workplan is %(status)s: it cannot be changed now.") % {
        "status": initiative.get_workplan_status_display().lower()
    }
    locked = not workplans.workplan_is_editable(initiative)
    if locked and request.method != "POST":
        messages.info(request, closed)
        return redirect("portal:workplan", pk=initiative.pk)
    language = request.user.language
    rows = list(spec.model.objects.filter(initiative=initiative).order_by("order", "pk"))
    lines = [
        (line.pk, line.title) for line in initiative.lines_of_action.select_related("initiative")
    ]
    data = request.POST if request.method == "POST" else held_post(request)
    formset = workplan_formset(section, rows=rows, lines=lines, language=language, data=data)
    status = 200
    if locked:
        # Submitted meanwhile (by a colleague): nothing is saved, the text sent is shown back.
        messages.error(request, closed)
        status = 409
    elif request.method == "POST" and formset.is_valid():
        changed = [
            form.row()
            for form in formset.forms
            if form.has_changed() or form.cleaned_data.get("DELETE")
        ]
        try:
            workplans.workplan_section_save(
                initiative=initiative,
                actor=request.user,
                section=section,
                rows=changed,
                language=language,
            )
        except (workplans.WorkplanError, TransitionNotAllowed) as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            messages.success(request, _("%(section)s saved.") % {"section": spec.label})
            return redirect("portal:workplan_section", pk=initiative.pk, section=section)
    return render(
        request,
        "portal/workplan_section.html",
        {
            "initiative": initiative,
            "formset": formset,
            "section": section,
            "spec": spec,
            "sections": workplans.SECTIONS,
            "budget_total": workplans.budget_total(initiative) if section == "budget" else None,
            "locked": locked,
        },
        status=status,
    )


@portal_login_required(hold=False)
def workplan_submit(request, pk: int):
    initiative = get_initiative(request, pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        workplans.workplan_submit(initiative=initiative, actor=request.user)
    except (workplans.WorkplanError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The workplan was sent to the secretariat. You will hear from them.")
        )
    return redirect("portal:workplan", pk=initiative.pk)


@portal_login_required
def workplan_review(request, pk: int):
    """The secretariat approves a submitted workplan or sends it back with a comment."""
    require_secretariat(request)
    initiative = get_initiative(request, pk)
    form = WorkplanReviewForm(request.POST if request.method == "POST" else held_post(request))
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "approve" in request.POST:
                workplans.workplan_approve(
                    initiative=initiative, actor=request.user, comment=comment
                )
                messages.success(request, _("The workplan was approved."))
            else:
                workplans.workplan_request_changes(
                    initiative=initiative, actor=request.user, comment=comment
                )
                messages.success(request, _("The workplan was sent back for changes."))
        except (workplans.WorkplanError, TransitionNotAllowed) as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            return redirect("portal:workplan_review", pk=initiative.pk)
    context = _workplan_context(initiative)
    context["form"] = form
    return render(request, "portal/workplan_review.html", context)
