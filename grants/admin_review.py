"""Review actions of the back office: the secretariat approves or sends back workplans (and,
through the same helper, reports) from a changelist. Each action calls the workflow service,
row by row, and says which rows could not be moved, and why."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.workflow import TransitionNotAllowed

from . import workplans


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment sent to the organisation"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )


def run_for_each(modeladmin, request, queryset, step: Callable, done_message: str) -> None:
    """Take ``step`` for every selected row; report the rows it refused, with the reason."""
    done = 0
    for obj in queryset:
        try:
            step(obj)
        except (TransitionNotAllowed, workplans.WorkplanError) as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        except Exception as error:
            # The other apps' domain errors (a report's) carry a message too.
            if not isinstance(getattr(error, "message", None), str):
                raise
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def comment_action(modeladmin, request, queryset, *, action: str, texts: dict, step: Callable):
    """An action that first asks for a comment (an intermediate page), then calls
    ``step(row, comment)`` for each selected row. ``texts`` holds "title", "intro", "button"
    and "done" (with ``%(count)s``)."""
    form = CommentForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        comment = form.cleaned_data["comment"]
        run_for_each(modeladmin, request, queryset, lambda obj: step(obj, comment), texts["done"])
        return None
    return TemplateResponse(
        request,
        "admin/comment_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": texts["title"],
            "intro": texts["intro"],
            "button": texts["button"],
            "label": texts.get("label", form.fields["comment"].label),
            "objects": list(queryset),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


# --- workplans ----------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Approve the submitted workplans"))
def approve_workplans(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda initiative: workplans.workplan_approve(initiative=initiative, actor=request.user),
        _("%(count)s workplans approved."),
    )


@admin.action(description=gettext_lazy("Request changes to the workplans (with a comment)"))
def request_workplan_changes(modeladmin, request, queryset):
    return comment_action(
        modeladmin,
        request,
        queryset,
        action="request_workplan_changes",
        texts={
            "title": _("Request changes to workplans"),
            "intro": _("Say what should change. The organisation receives your comment."),
            "button": _("Send back for changes"),
            "done": _("%(count)s workplans sent back for changes."),
        },
        step=lambda initiative, comment: workplans.workplan_request_changes(
            initiative=initiative, actor=request.user, comment=comment
        ),
    )


class WorkplanReviewMixin:
    """The InitiativeAdmin's side of the workplan review: actions, and a link to the review
    page (the whole workplan with the decision form)."""

    actions = (approve_workplans, request_workplan_changes)

    @admin.display(description=gettext_lazy("workplan"), ordering="workplan_status")
    def workplan_review(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("portal:workplan_review", kwargs={"pk": obj.pk}),
            obj.get_workplan_status_display(),
        )


# --- payments -----------------------------------------------------------------------------------


@admin.action(description=gettext_lazy("Record the payment of the selected tranches (today)"))
def record_payments(modeladmin, request, queryset):
    """Payable tranches paid today; the comment is the payment reference (bank transfer...)."""
    import datetime

    from .payments import disbursement_mark_paid

    return comment_action(
        modeladmin,
        request,
        queryset,
        action="record_payments",
        texts={
            "title": _("Record payments"),
            "intro": _(
                "The selected tranches are recorded as paid today, and each grantee is told. "
                "Give the payment reference (for example the bank transfer number)."
            ),
            "button": _("Record the payments"),
            "done": _("%(count)s payments recorded."),
            "label": _("Payment reference"),
        },
        step=lambda disbursement, reference: disbursement_mark_paid(
            disbursement=disbursement,
            actor=request.user,
            paid_on=datetime.date.today(),
            reference=reference,
        ),
    )
