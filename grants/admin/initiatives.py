"""Back office of the funded initiatives and their workplans: lines of action, activities,
indicators, budget lines, tranches and status history. Workplans are approved or sent back on
the secretariat's review page, which the list links to."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationStackedInline

from core.admin import (
    STATUS_FIELDS,
    HistoryAdmin,
    HistoryInline,
    MissingTranslationsMixin,
    SelectRelatedMixin,
    TabbedTranslationAdmin,
    translated,
)
from programme.admin import EditionChoicesMixin, EditionListFilter

from ..models import (
    Activity,
    BudgetLine,
    Disbursement,
    Indicator,
    InitiativeStatusChange,
    LineOfAction,
)
from ..workflow import InitiativeStatus, WorkplanStatus


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


class InitiativeAdmin(MissingTranslationsMixin, EditionChoicesMixin, TabbedTranslationAdmin):
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
        "is_at_risk",
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
                    "is_at_risk",
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

    @admin.display(description=_("workplan"), ordering="workplan_status")
    def workplan_review(self, obj) -> str:
        """The workplan's status, linked to the secretariat's review page (where it is
        approved or sent back)."""
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("secretariat:workplan_review", kwargs={"pk": obj.pk}),
            obj.get_workplan_status_display(),
        )


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


class LineOfActionAdmin(SelectRelatedMixin, TabbedTranslationAdmin):
    list_display = ("title", "initiative", "order")
    list_filter = (("initiative__edition", EditionListFilter),)
    list_select_related = ("initiative",)
    search_fields = (*translated("title"), *(f"initiative__{f}" for f in translated("title")))
    autocomplete_fields = ("initiative",)


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


class IndicatorAdmin(InitiativePartAdmin):
    list_display = ("name", "initiative", "line_of_action", "unit", "baseline", "target")
    search_fields = ("name", *(f"initiative__{f}" for f in translated("title")))


class BudgetLineAdmin(InitiativePartAdmin):
    list_display = ("category", "description", "initiative", "line_of_action", "amount")
    search_fields = ("category", "description", *(f"initiative__{f}" for f in translated("title")))
