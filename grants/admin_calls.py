"""The secretariat's call pages in the back office: screening, requests for more information,
bulk reviewer assignment, the ranking and decisions (one by one or in batch).

Each page is a thin view over a service; a refused step shows the service's message and changes
nothing. The Application admin of ``admin.py`` is re-registered here with these pages, its
attachments and its actions.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.groups import REVIEWER
from programme.models import Edition
from programme.workflow import TransitionNotAllowed

from . import review_services, services
from .admin import ApplicationAdmin, ReviewAssignmentAdmin
from .admin_documents import ApplicationAttachmentInline
from .awards import Decision, DecisionError, applications_decide
from .forms import AssignReviewersForm, CommentForm, DecisionFormSet
from .models import Application, ReviewAssignment
from .ranking import RANKED_STATUSES, ranking
from .workflow import ApplicationStatus

A = ApplicationStatus


def selected_ids(request) -> list[int]:
    """Ids from ``ids=1,2,3`` (actions, links) or repeated ``selected`` boxes (the ranking)."""
    raw = request.POST.get("ids") or request.GET.get("ids", "")
    parts = [*raw.split(","), *request.GET.getlist("selected")]
    return list(dict.fromkeys(int(part) for part in parts if part.strip().isdigit()))


class CallPagesMixin:
    """Permission and rendering helpers of the extra pages."""

    def require_secretariat(self, request) -> None:
        if not services.is_secretariat(request.user):
            raise PermissionDenied

    def page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def applications_of(self, request):
        ids = selected_ids(request)
        return list(
            Application.objects.filter(pk__in=ids)
            .select_related("organisation", "edition__programme")
            .order_by("submitted_at", "pk")
        )

    def back(self, request, applications) -> HttpResponseRedirect:
        if len(applications) == 1:
            url = reverse("admin:grants_application_change", args=[applications[0].pk])
        else:
            url = reverse("admin:grants_application_changelist")
        return HttpResponseRedirect(url)

    def redirect_to(self, name: str, queryset) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse(f'admin:grants_application_{name}')}?ids={ids}")


admin.site.unregister(Application)


@admin.register(Application)
class CallApplicationAdmin(CallPagesMixin, ApplicationAdmin):
    list_display = (*ApplicationAdmin.list_display, "reviews")
    # The applicant's page is for the organisation's members: the secretariat reads it here.
    view_on_site = False
    inlines = (ApplicationAttachmentInline, *ApplicationAdmin.inlines)
    actions = ["screen_eligible", "screen", "more_info", "assign", "decide"]
    change_form_template = "admin/grants/application/change_form.html"
    change_list_template = "admin/grants/application/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_reviews=Count(
                    "assignments", filter=Q(assignments__is_recused=False), distinct=True
                ),
                submitted_reviews=Count(
                    "assignments",
                    filter=Q(
                        assignments__is_recused=False,
                        assignments__review__submitted_at__isnull=False,
                    ),
                    distinct=True,
                ),
            )
            # An aggregate drops Meta.ordering; the autocomplete pages need a stable order.
            .order_by("-created_at", "-pk")
        )

    @admin.display(description=gettext_lazy("reviews"))
    def reviews(self, obj) -> str:
        if not getattr(obj, "active_reviews", 0):
            return "—"
        return f"{obj.submitted_reviews} / {obj.active_reviews}"

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("ranking/", view(self.ranking_view), name="grants_application_ranking"),
            path("screen/", view(self.screen_view), name="grants_application_screen"),
            path("more-info/", view(self.more_info_view), name="grants_application_more_info"),
            path("assign/", view(self.assign_view), name="grants_application_assign"),
            path("decide/", view(self.decide_view), name="grants_application_decide"),
            *super().get_urls(),
        ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # A reviewer who belongs to the applicant organisation cannot review it.
        if (
            formset.model is ReviewAssignment
            and form.instance.pk
            and review_services.recuse_members(application=form.instance)
        ):
            messages.warning(
                request,
                _("A reviewer who is a member of the applicant organisation was recused."),
            )

    # --- actions ---------------------------------------------------------------------------

    @admin.action(
        permissions=["change"], description=gettext_lazy("Screen: eligible, send to review")
    )
    def screen_eligible(self, request, queryset):
        self.require_secretariat(request)
        done, refused = 0, []
        for application in queryset.order_by("pk"):
            try:
                services.application_screen(
                    application=application, actor=request.user, is_eligible=True
                )
                done += 1
            except (services.ApplicationError, TransitionNotAllowed) as error:
                refused.append(f"{application.display_title}: {error.message}")
        if done:
            messages.success(
                request, _("%(count)s application(s) sent to review.") % {"count": done}
            )
        for problem in refused:
            messages.error(request, problem)

    @admin.action(
        permissions=["change"], description=gettext_lazy("Screen: not eligible (with a reason)…")
    )
    def screen(self, request, queryset):
        return self.redirect_to("screen", queryset)

    @admin.action(permissions=["change"], description=gettext_lazy("Request more information…"))
    def more_info(self, request, queryset):
        return self.redirect_to("more_info", queryset)

    @admin.action(permissions=["change"], description=gettext_lazy("Assign reviewers…"))
    def assign(self, request, queryset):
        return self.redirect_to("assign", queryset)

    @admin.action(permissions=["change"], description=gettext_lazy("Decide (approve or decline)…"))
    def decide(self, request, queryset):
        return self.redirect_to("decide", queryset)

    # --- pages -----------------------------------------------------------------------------

    def _comment_page(self, request, *, template_title, label, submit, call, success, kind):
        self.require_secretariat(request)
        applications = self.applications_of(request)
        form = CommentForm(request.POST or None, label=label)
        if request.method == "POST" and form.is_valid() and applications:
            done, problems = 0, []
            for application in applications:
                try:
                    call(application, form.cleaned_data["comment"])
                    done += 1
                except (services.ApplicationError, TransitionNotAllowed) as error:
                    problems.append(f"{application.display_title}: {error.message}")
            if done:
                messages.success(request, success % {"count": done})
            for problem in problems:
                messages.error(request, problem)
            return self.back(request, applications)
        return self.page(
            request,
            "admin/grants/application/comment.html",
            template_title,
            applications=applications,
            form=form,
            submit=submit,
            kind=kind,
            ids=",".join(str(a.pk) for a in applications),
        )

    def screen_view(self, request):
        """Not eligible, with the reason the applicant reads."""
        return self._comment_page(
            request,
            template_title=_("Screen: not eligible"),
            label=_("Reason (the applicant reads it)"),
            submit=_("Mark as not eligible"),
            call=lambda application, reason: services.application_screen(
                application=application, actor=request.user, is_eligible=False, reason=reason
            ),
            success=_("%(count)s application(s) marked as not eligible."),
            kind="ineligible",
        )

    def more_info_view(self, request):
        return self._comment_page(
            request,
            template_title=_("Request more information"),
            label=_("What do you need to know? (the applicant reads it)"),
            submit=_("Send the request"),
            call=lambda application, comment: services.application_request_more_info(
                application=application, actor=request.user, comment=comment
            ),
            success=_("%(count)s application(s) sent back to the applicant."),
            kind="more_info",
        )

    def reviewer_pool(self):
        return (
            get_user_model()
            .objects.filter(is_active=True, groups__name=REVIEWER)
            .order_by("full_name", "email")
        )

    def assign_view(self, request):
        """Bulk assignment: balanced, at least N per application, never an applicant's member."""
        self.require_secretariat(request)
        applications = self.applications_of(request)
        editions = {application.edition for application in applications}
        minimum = max((e.min_reviewers_per_application for e in editions), default=3)
        pool = self.reviewer_pool()
        form = AssignReviewersForm(
            request.POST or None,
            reviewers=pool,
            initial={"reviewers": list(pool), "per_application": minimum},
        )
        if request.method == "POST" and form.is_valid() and applications:
            try:
                result = review_services.reviewers_assign(
                    applications=applications,
                    reviewers=form.cleaned_data["reviewers"],
                    per_application=form.cleaned_data["per_application"],
                    actor=request.user,
                )
            except review_services.ReviewError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(count)s assignment(s) made.") % {"count": len(result.created)},
                )
                if result.short:
                    messages.warning(
                        request,
                        _("Not enough reviewers for: %(titles)s.")
                        % {"titles": ", ".join(a.display_title for a in result.short)},
                    )
                if result.skipped:
                    messages.warning(
                        request,
                        _("Not under review, so nobody was assigned: %(titles)s.")
                        % {"titles": ", ".join(a.display_title for a in result.skipped)},
                    )
                return self.back(request, applications)
        return self.page(
            request,
            "admin/grants/application/assign.html",
            _("Assign reviewers"),
            applications=applications,
            form=form,
            ids=",".join(str(a.pk) for a in applications),
        )

    def ranking_view(self, request):
        """The edition's applications by weighted score (see ``grants.ranking``)."""
        self.require_secretariat(request)
        editions = list(
            Edition.objects.filter(applications__status__in=RANKED_STATUSES)
            .select_related("programme")
            .distinct()
            .order_by("-year", "-number")
        )
        chosen = request.GET.get("edition", "")
        edition = next(
            (e for e in editions if str(e.pk) == chosen), editions[0] if editions else None
        )
        criteria, rows = ranking(edition=edition) if edition else ([], [])
        return self.page(
            request,
            "admin/grants/application/ranking.html",
            _("Ranking"),
            editions=editions,
            edition=edition,
            criteria=criteria,
            rows=rows,
        )

    def decide_view(self, request):
        """Approve (amount, period) or decline (message) the selected applications at once."""
        self.require_secretariat(request)
        if request.method == "POST":
            formset = DecisionFormSet(request.POST, prefix="decisions")
            ids = (
                [
                    int(form["application"].value())
                    for form in formset.forms
                    if str(form["application"].value()).isdigit()
                ]
                if formset.is_bound and formset.management_form.is_valid()
                else []
            )
        else:
            formset = None
            ids = selected_ids(request)
        applications = {
            a.pk: a
            for a in Application.objects.filter(pk__in=ids).select_related(
                "organisation", "edition__programme"
            )
        }
        if formset is None:
            formset = DecisionFormSet(
                prefix="decisions",
                initial=[
                    self.decision_initial(applications[pk]) for pk in ids if pk in applications
                ],
            )
        elif formset.is_valid():
            decisions = []
            for form in formset.forms:
                data = form.cleaned_data
                application = applications.get(data.get("application"))
                if application is None or not data.get("decision"):
                    continue
                decisions.append(
                    Decision(
                        application=application,
                        approve=data["decision"] == "approve",
                        amount=data.get("amount"),
                        period_start=data.get("period_start"),
                        period_end=data.get("period_end"),
                        message=data.get("message", ""),
                    )
                )
            if not decisions:
                messages.warning(request, _("No decision was chosen."))
            else:
                try:
                    applications_decide(decisions=decisions, actor=request.user)
                except DecisionError as error:
                    messages.error(request, error.message)
                else:
                    approved = sum(1 for d in decisions if d.approve)
                    messages.success(
                        request,
                        _(
                            "%(approved)s approved, %(declined)s declined. The new initiatives "
                            "wait in Initiatives, unpublished."
                        )
                        % {"approved": approved, "declined": len(decisions) - approved},
                    )
                    edition = decisions[0].application.edition_id
                    return HttpResponseRedirect(
                        f"{reverse('admin:grants_application_ranking')}?edition={edition}"
                    )
        rows = [
            (form, applications.get(_as_int(form["application"].value()))) for form in formset.forms
        ]
        return self.page(
            request,
            "admin/grants/application/decide.html",
            _("Decide"),
            formset=formset,
            rows=[(form, application) for form, application in rows if application],
        )

    @staticmethod
    def decision_initial(application: Application) -> dict:
        edition = application.edition
        amount = application.requested_amount
        if amount is not None and edition.grant_maximum is not None:
            amount = min(amount, edition.grant_maximum)
        if amount is not None and edition.grant_minimum is not None:
            amount = max(amount, edition.grant_minimum)
        return {
            "application": application.pk,
            "amount": amount,
            "period_start": edition.period_start,
            "period_end": edition.period_end,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = self.get_object(request, object_id)
        extra_context["workflow_links"] = (
            application is not None and services.is_secretariat(request.user)
        ) and {
            "screen": application.status == A.SUBMITTED,
            "more_info": application.status in (A.SUBMITTED, A.UNDER_REVIEW),
            "assign": application.status in review_services.IN_REVIEW,
            "decide": application.status in review_services.IN_REVIEW,
        }
        return super().change_view(request, object_id, form_url, extra_context)


def _as_int(value) -> int | None:
    return int(value) if str(value).isdigit() else None


admin.site.unregister(ReviewAssignment)


@admin.register(ReviewAssignment)
class CallReviewAssignmentAdmin(ReviewAssignmentAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A reviewer who belongs to the applicant organisation cannot review it.
        review_services.recuse_members(application=obj.application)
