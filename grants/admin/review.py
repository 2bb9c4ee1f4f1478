"""Back office of the review panel: assignments (with conflicts of interest), reviews and
scores. Staff without the secretariat's permission (reviewers) see only their own assignments,
and only once they declared no conflict."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.admin import LongListMixin, SelectRelatedMixin
from core.exports import Column, ExportMixin
from programme.admin import EditionListFilter
from programme.models import ReviewCriterion

from ..models import Review, ReviewAssignment, ReviewScore
from ..selectors.dashboard import (
    conflict_q,
    review_done_q,
    review_outstanding_q,
    review_overdue_q,
)
from ..selectors.ranking import review_scores
from ..services import recuse_members


class ReviewerScopedMixin:
    """Staff without the secretariat's ``full_access`` permission see only their own assignments.

    ``reviewer_path`` leads from the model to the reviewer. Reviewers usually work in the portal;
    this keeps the back office from showing them applications they were not given, recused
    themselves from, or have not yet declared free of conflicts of interest (the content comes
    only after that declaration, as on the review pages), should they have access to it.
    """

    reviewer_path = ""
    full_access = "grants.change_application"

    def is_scoped(self, request) -> bool:
        return not request.user.has_perm(self.full_access)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_scoped(request):
            # One filter() call: every condition must hold for the same assignment.
            recused = self.reviewer_path.replace("reviewer", "is_recused")
            conflict = self.reviewer_path.replace("reviewer", "conflict")
            queryset = queryset.filter(
                **{
                    self.reviewer_path: request.user,
                    recused: False,
                    conflict: ReviewAssignment.Conflict.NONE,
                }
            )
        return queryset


class LoadedReviewerSelect(AutocompleteSelect):
    """The reviewer's autocomplete, showing a saved row's reviewer from the row as loaded
    (``loaded``, set by ``LoadedReviewerFormSet``) instead of looking it up again: the stock
    widget asks the database once per row."""

    loaded = None

    def optgroups(self, name, value, attr=None):
        loaded = self.loaded
        if loaded is None or {str(v) for v in value if v} != {str(loaded.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(loaded)
        options.append(self.create_option(name, loaded.pk, label, {str(loaded.pk)}, len(options)))
        return [(None, options, 0)]


class LoadedReviewerFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk is not None and "reviewer" in form.fields:
            widget = form.fields["reviewer"].widget
            widget = getattr(widget, "widget", widget)  # inside the admin's add/change links
            if isinstance(widget, LoadedReviewerSelect):
                widget.loaded = form.instance.reviewer
        return form


class ReviewAssignmentInline(admin.TabularInline):
    model = ReviewAssignment
    formset = LoadedReviewerFormSet
    fields = (
        "reviewer",
        "conflict",
        "conflict_note",
        "conflict_declared_at",
        "is_recused",
        "assigned_by",
        "assigned_at",
    )
    # The reviewer declares a conflict in the portal; the secretariat may recuse them.
    readonly_fields = (
        "conflict",
        "conflict_note",
        "conflict_declared_at",
        "assigned_by",
        "assigned_at",
    )
    autocomplete_fields = ("reviewer",)
    extra = 0

    def get_queryset(self, request):
        # Each row is named after its reviewer and application (with its organisation).
        return (
            super()
            .get_queryset(request)
            .select_related("reviewer", "assigned_by", "application__organisation")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["widget"] = LoadedReviewerSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewStateFilter(admin.SimpleListFilter):
    """Where each assignment stands (the dashboard's review progress leads here)."""

    title = _("review")
    parameter_name = "review_state"

    def lookups(self, request, model_admin):
        return [
            ("done", _("Review submitted")),
            ("outstanding", _("Review outstanding")),
            ("overdue", _("Review overdue")),
            ("conflict", _("Conflict of interest")),
        ]

    def queryset(self, request, queryset):
        conditions = {
            "done": review_done_q,
            "outstanding": review_outstanding_q,
            "overdue": review_overdue_q,
            "conflict": conflict_q,
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()]())
        return queryset


class ReviewAssignmentAdmin(SelectRelatedMixin, ReviewerScopedMixin, admin.ModelAdmin):
    reviewer_path = "reviewer"
    list_display = ("application", "reviewer", "conflict", "is_recused", "assigned_at")
    list_filter = (
        "application__edition__programme",
        ("application__edition", EditionListFilter),
        ReviewStateFilter,
        "conflict",
        "is_recused",
    )
    list_select_related = ("application__organisation", "reviewer")
    search_fields = (
        "application__title",
        "application__organisation__name",
        "reviewer__email",
        "reviewer__full_name",
    )
    autocomplete_fields = ("application", "reviewer")
    readonly_fields = ("assigned_by", "assigned_at", "conflict_declared_at")
    date_hierarchy = "assigned_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)
        # A reviewer who belongs to the applicant organisation cannot review it.
        recuse_members(application=obj.application)


class CriteriaOnceFormSet(BaseInlineFormSet):
    """Every score row offers the same criteria: read them once for the whole formset, not once
    per row's select."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields.get("criterion")
        if field is not None:
            if not hasattr(self, "_criteria_choices"):
                self._criteria_choices = list(field.choices)
            field.choices = self._criteria_choices
        return form


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    formset = CriteriaOnceFormSet
    fields = ("criterion", "score")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion__edition")

    def get_formset(self, request, obj=None, **kwargs):
        request._admin_review = obj  # read by formfield_for_foreignkey while the form is built
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criterion":
            review = getattr(request, "_admin_review", None)
            kwargs["queryset"] = (
                ReviewCriterion.objects.filter(
                    edition__applications__assignments__review=review
                ).select_related("edition")
                if review is not None
                else ReviewCriterion.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewAdmin(
    LongListMixin, ExportMixin, SelectRelatedMixin, ReviewerScopedMixin, admin.ModelAdmin
):
    reviewer_path = "assignment__reviewer"
    list_display = ("assignment", "recommendation", "submitted_at", "updated_at")
    list_filter = (("assignment__application__edition", EditionListFilter), "recommendation")
    list_select_related = ("assignment__application__organisation", "assignment__reviewer")
    export_select_related = ("assignment__application__edition__programme",)
    export_columns = (
        Column("pk", _("ID")),
        Column("assignment.application.title", _("application")),
        Column("assignment.application.organisation.name", _("organisation")),
        Column(lambda r: r.assignment.application.edition, _("edition")),
        Column(lambda r: r.assignment.reviewer.full_name, _("reviewer")),
        Column("assignment.reviewer.email", _("reviewer's email")),
        "assignment.conflict",
        "assignment.is_recused",
        "recommendation",
        Column(lambda r: r.weighted and round(r.weighted, 2), _("score (weighted)")),
        "comment",
        "submitted_at",
    )

    def get_export_queryset(self, queryset):
        return review_scores(super().get_export_queryset(queryset))

    search_fields = (
        "assignment__application__title",
        "assignment__reviewer__email",
        "assignment__reviewer__full_name",
    )
    autocomplete_fields = ("assignment",)
    readonly_fields = ("submitted_at", "updated_at")
    inlines = (ReviewScoreInline,)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignment" and self.is_scoped(request):
            kwargs["queryset"] = ReviewAssignment.objects.filter(
                reviewer=request.user, is_recused=False
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewScoreAdmin(ReviewerScopedMixin, admin.ModelAdmin):
    reviewer_path = "review__assignment__reviewer"
    list_display = ("review", "criterion", "score")
    list_filter = (("criterion__edition", EditionListFilter),)
    list_select_related = (
        "review__assignment__application__organisation",
        "review__assignment__reviewer",
        "criterion__edition",  # a criterion's name falls back to its edition's language
    )
    search_fields = ("review__assignment__application__title", "criterion__name_en")
    autocomplete_fields = ("review",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "review" and self.is_scoped(request):
            kwargs["queryset"] = Review.objects.filter(
                assignment__reviewer=request.user, assignment__is_recused=False
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
