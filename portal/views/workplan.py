"""The workplan in the portal: members edit and submit it; the secretariat reads it here
(and reviews it on its own page)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import read_version
from core.views import (
    held_post,
    login_required_keeping_input,
    post_only,
    release_held_post,
)
from grants import services as workplans
from grants.errors import StaleWorkplan
from grants.selectors.workplans import workplan_context

from ..forms.workplan import saved_rows, workplan_formset
from .access import can_write, get_initiative


@login_required_keeping_input
def workplan(request, pk: int):
    initiative = get_initiative(request, pk)
    context = workplan_context(initiative)
    context["can_write"] = can_write(request, initiative.lead_organisation_id)
    context["editable"] = context["can_write"] and context["is_editable"]
    context["problems"] = workplans.workplan_problems(initiative) if context["editable"] else []
    return render(request, "portal/workplan.html", context)


@login_required_keeping_input
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
    # The version of this part the page was read at travels with the form (kept with a held
    # post too): a save over a colleague's newer one is refused below.
    version = workplans.section_version(initiative, section)
    if data is not None:
        version = read_version(data)
    status = 200
    saved_now = None
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
                read_version=version,
            )
        except StaleWorkplan as error:
            # Refused, not lost: the text typed stays in the form, which now carries the
            # current version (saving again is an informed choice), beside what is saved now.
            messages.error(request, error.message)
            initiative.refresh_from_db()
            version = workplans.section_version(initiative, section)
            rows = list(spec.model.objects.filter(initiative=initiative).order_by("order", "pk"))
            saved_now = saved_rows(section, rows=rows, lines=lines, language=language)
            status = 409
        except DomainError as error:
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
            "version": version,
            "saved_now": saved_now,
        },
        status=status,
    )


@login_required_keeping_input(hold=False)
def workplan_submit(request, pk: int):
    initiative = get_initiative(request, pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        workplans.workplan_submit(initiative=initiative, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The workplan was sent to the secretariat. You will hear from them.")
        )
    return redirect("portal:workplan", pk=initiative.pk)
