"""Back office for applications, their review, and the funded initiatives with their workplans."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationStackedInline

from programme.admin import (
    STATUS_FIELDS,
    EditionChoicesMixin,
    EditionListFilter,
    HistoryAdmin,
    HistoryInline,
    MissingTranslationsMixin,
    SelectRelatedMixin,
    TabbedTranslationAdmin,
    VersionedAdminMixin,
    translated,
)
from programme.models import ReviewCriterion

from .admin_review import WorkplanReviewMixin, record_payments
from .models import (
    Activity,
    Application,
    ApplicationStatusChange,
    BudgetLine,
    Disbursement,
    DisbursementStatusChange,
    Indicator,
    Initiative,
    InitiativeStatusChange,
    LineOfAction,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from .workflow import ApplicationStatus, DisbursementStatus, InitiativeStatus, WorkplanStatus

# --- review: reviewers see only what they were assigned ---------------------------------------


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


class ApplicationHistoryInline(HistoryInline):
    model = ApplicationStatusChange
    status_choices = {"application": ApplicationStatus}


class ReviewAssignmentInline(admin.TabularInline):
    model = ReviewAssignment
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
        return super().get_queryset(request).select_related("reviewer", "assigned_by")


@admin.register(Application)
class ApplicationAdmin(
    SelectRelatedMixin,
    ReviewerScopedMixin,
    VersionedAdminMixin,
    EditionChoicesMixin,
    admin.ModelAdmin,
):
    reviewer_path = "assignments__reviewer"
    list_display = (
        "title",
        "organisation",
        "edition",
        "status",
        "requested_amount",
        "currency",
        "language",
        "submitted_at",
    )
    list_filter = (
        ("edition", EditionListFilter),
        "status",
        ("countries", CountryFilter),
        "themes",
        "language",
    )
    list_select_related = ("organisation", "edition__programme")
    search_fields = ("title", "organisation__name", "organisation__acronym", "places")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("organisation", "created_by")
    filter_horizontal = ("themes",)
    readonly_fields = (
        *STATUS_FIELDS,
        "submitted_at",
        "decided_at",
        "version",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("edition", "organisation", "created_by", "language")}),
        (
            _("Project"),
            {
                "fields": (
                    "title",
                    "summary",
                    "countries",
                    "places",
                    "themes",
                    "lines_of_action",
                    "expected_results",
                )
            },
        ),
        (_("Budget"), {"fields": (("requested_amount", "currency"), "budget_outline")}),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "submitted_at",
                    "decided_at",
                    "version",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = (ReviewAssignmentInline, ApplicationHistoryInline)

    def get_inlines(self, request, obj):
        # Reviewers must not see who else reviews the application.
        return () if self.is_scoped(request) else self.inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is ReviewAssignment:
            for assignment in formset.save(commit=False):
                if assignment.pk is None:
                    assignment.assigned_by = request.user
                assignment.save()
            for assignment in formset.deleted_objects:
                assignment.delete()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(HistoryAdmin):
    parent = "application"
    status_choices = {"application": ApplicationStatus}
    list_select_related = ("application__organisation", "actor")
    list_filter = (("application__edition", EditionListFilter), "role")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(SelectRelatedMixin, ReviewerScopedMixin, admin.ModelAdmin):
    reviewer_path = "reviewer"
    list_display = ("application", "reviewer", "conflict", "is_recused", "assigned_at")
    list_filter = (("application__edition", EditionListFilter), "conflict", "is_recused")
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


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ("criterion", "score")
    extra = 0

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


@admin.register(Review)
class ReviewAdmin(SelectRelatedMixin, ReviewerScopedMixin, admin.ModelAdmin):
    reviewer_path = "assignment__reviewer"
    list_display = ("assignment", "recommendation", "submitted_at", "updated_at")
    list_filter = (("assignment__application__edition", EditionListFilter), "recommendation")
    list_select_related = ("assignment__application__organisation", "assignment__reviewer")
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


@admin.register(ReviewScore)
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


# --- initiatives and workplans ------------------------------------------------------------------


class InitiativePartInline:
    """An inline under an initiative whose links to lines of action stay within that initiative."""

    def get_formset(self, request, obj=None, **kwargs):
        request._admin_initiative = obj  # read by formfield_for_foreignkey while the form is built
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "line_of_action":
            initiative = getattr(request, "_admin_initiative", None)
            # A line's title falls back to its initiative's language: load the initiative with it.
            kwargs["queryset"] = (
                LineOfAction.objects.filter(initiative=initiative).select_related("initiative")
                if initiative is not None
                else LineOfAction.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LineOfActionInline(TranslationStackedInline):
    model = LineOfAction
    fields = ("title", "description", "order")
    extra = 0


class ActivityInline(InitiativePartInline, admin.TabularInline):
    model = Activity
    fields = (
        "title",
        "line_of_action",
        "starts_on",
        "ends_on",
        "place",
        "budget",
        "status",
        "order",
    )
    readonly_fields = STATUS_FIELDS
    extra = 0


class IndicatorInline(InitiativePartInline, admin.TabularInline):
    model = Indicator
    fields = ("name", "line_of_action", "unit", "baseline", "target", "order")
    extra = 0


class BudgetLineInline(InitiativePartInline, admin.TabularInline):
    model = BudgetLine
    fields = ("category", "description", "line_of_action", "amount", "order")
    extra = 0


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    fields = (
        "tranche",
        "amount",
        "currency",
        "condition",
        "due_on",
        "status",
        "paid_on",
        "reference",
    )
    readonly_fields = STATUS_FIELDS
    extra = 0
    show_change_link = True


class InitiativeHistoryInline(HistoryInline):
    model = InitiativeStatusChange
    status_choices = {"initiative": InitiativeStatus, "workplan": WorkplanStatus}


@admin.register(Initiative)
class InitiativeAdmin(
    WorkplanReviewMixin, MissingTranslationsMixin, EditionChoicesMixin, TabbedTranslationAdmin
):
    list_display = (
        "title",
        "lead_organisation",
        "edition",
        "coverage",
        "amount_awarded",
        "currency",
        "status",
        "workplan_review",
        "is_published",
        "missing_translations",
    )
    list_filter = (
        ("edition", EditionListFilter),
        "status",
        "workplan_status",
        ("countries", CountryFilter),
        "themes",
        "is_published",
    )
    list_select_related = ("edition__programme", "lead_organisation")
    search_fields = (
        "slug",
        "places",
        "lead_organisation__name",
        "lead_organisation__acronym",
        *translated("title"),
    )
    date_hierarchy = "awarded_on"
    autocomplete_fields = ("lead_organisation", "application")
    filter_horizontal = ("themes",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        *STATUS_FIELDS,
        "workplan_status",
        "workplan_review",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "edition",
                    "lead_organisation",
                    "application",
                    "slug",
                    "original_language",
                )
            },
        ),
        (
            _("Texts"),
            {"fields": ("title", "summary", "description", "expected_results")},
        ),
        (_("Where"), {"fields": ("countries", "coverage_label", "places", "themes")}),
        (
            _("Grant"),
            {
                "fields": (
                    ("amount_awarded", "currency"),
                    "awarded_on",
                    ("period_start", "period_end"),
                )
            },
        ),
        (
            _("Status and publication"),
            {
                "fields": (
                    "status",
                    "workplan_status",
                    "workplan_review",
                    "is_published",
                    "published_at",
                    "order",
                    "created_at",
                    "updated_at",
                )
            },
        ),
        (_("Cover photo"), {"fields": ("cover_photo", "cover_caption")}),
    )
    inlines = (
        LineOfActionInline,
        ActivityInline,
        IndicatorInline,
        BudgetLineInline,
        DisbursementInline,
        InitiativeHistoryInline,
    )

    @admin.display(description=_("coverage"))
    def coverage(self, obj) -> str:
        return obj.coverage


@admin.register(InitiativeStatusChange)
class InitiativeStatusChangeAdmin(HistoryAdmin):
    parent = "initiative"
    status_choices = {"initiative": InitiativeStatus, "workplan": WorkplanStatus}
    list_select_related = ("initiative", "actor")
    list_filter = (("initiative__edition", EditionListFilter), "workflow", "role")


class InitiativePartForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        initiative = cleaned_data.get("initiative")
        line = cleaned_data.get("line_of_action")
        if initiative is not None and line is not None and line.initiative_id != initiative.pk:
            self.add_error("line_of_action", _("Choose a line of action of the same initiative."))
        return cleaned_data


class InitiativePartAdmin(admin.ModelAdmin):
    """A workplan part on its own page; its line of action must belong to its initiative."""

    form = InitiativePartForm
    # A line's title falls back to its initiative's language: load the initiative with it.
    list_select_related = ("initiative", "line_of_action__initiative")
    list_filter = (("initiative__edition", EditionListFilter),)
    autocomplete_fields = ("initiative", "line_of_action")


@admin.register(LineOfAction)
class LineOfActionAdmin(SelectRelatedMixin, TabbedTranslationAdmin):
    list_display = ("title", "initiative", "order")
    list_filter = (("initiative__edition", EditionListFilter),)
    list_select_related = ("initiative",)
    search_fields = (*translated("title"), *(f"initiative__{f}" for f in translated("title")))
    autocomplete_fields = ("initiative",)


@admin.register(Activity)
class ActivityAdmin(InitiativePartAdmin):
    list_display = (
        "title",
        "initiative",
        "line_of_action",
        "starts_on",
        "ends_on",
        "place",
        "status",
    )
    list_filter = (("initiative__edition", EditionListFilter), "status")
    search_fields = ("title", "place", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "starts_on"
    readonly_fields = STATUS_FIELDS


@admin.register(Indicator)
class IndicatorAdmin(InitiativePartAdmin):
    list_display = ("name", "initiative", "line_of_action", "unit", "baseline", "target")
    search_fields = ("name", *(f"initiative__{f}" for f in translated("title")))


@admin.register(BudgetLine)
class BudgetLineAdmin(InitiativePartAdmin):
    list_display = ("category", "description", "initiative", "line_of_action", "amount")
    search_fields = ("category", "description", *(f"initiative__{f}" for f in translated("title")))


class DisbursementHistoryInline(HistoryInline):
    model = DisbursementStatusChange
    status_choices = {"disbursement": DisbursementStatus}


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = (
        "initiative",
        "tranche",
        "amount",
        "currency",
        "condition",
        "due_on",
        "status",
        "paid_on",
    )
    list_filter = (("initiative__edition", EditionListFilter), "status", "condition")
    list_select_related = ("initiative",)
    search_fields = ("reference", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "due_on"
    autocomplete_fields = ("initiative",)
    # Status and payment date change only through the "record payment" action (its service).
    readonly_fields = (*STATUS_FIELDS, "paid_on")
    inlines = (DisbursementHistoryInline,)
    actions = (record_payments,)


@admin.register(DisbursementStatusChange)
class DisbursementStatusChangeAdmin(HistoryAdmin):
    parent = "disbursement"
    status_choices = {"disbursement": DisbursementStatus}
    list_select_related = ("disbursement__initiative", "actor")
    list_filter = (("disbursement__initiative__edition", EditionListFilter), "role")


from . import admin_calls  # noqa: E402,F401
