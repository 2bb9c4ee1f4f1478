"""The secretariat's review of a submitted workplan: approve it, or send it back with a
comment."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.views import held_post, release_held_post
from grants import services
from grants.models import Initiative
from grants.selectors.workplans import workplan_context

from ..forms import WorkplanReviewForm
from .access import secretariat_required


@secretariat_required
def workplan_review(request, pk: int):
    """The secretariat approves a submitted workplan or sends it back with a comment."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("edition", "lead_organisation"), pk=pk
    )
    form = WorkplanReviewForm(request.POST if request.method == "POST" else held_post(request))
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "approve" in request.POST:
                services.workplan_approve(
                    initiative=initiative, actor=request.user, comment=comment
                )
                messages.success(request, _("The workplan was approved."))
            else:
                services.workplan_request_changes(
                    initiative=initiative, actor=request.user, comment=comment
                )
                messages.success(request, _("The workplan was sent back for changes."))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            return redirect("secretariat:workplan_review", pk=initiative.pk)
    context = workplan_context(initiative)
    context["form"] = form
    return render(request, "secretariat/workplan_review.html", context)
