"""Back office for programmes, funders, themes and editions (with their call, criteria,
eligibility questions, reporting schedule and grant agreement template), and the edition filters
the other apps' back office uses."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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

from .models import (
    AgreementTemplate,
    Edition,
    EditionFunder,
    EditionStatusChange,
    EligibilityQuestion,
    Funder,
    Programme,
    ReportingDeadline,
    ReviewCriterion,
    Theme,
)
from .workflow import EditionStatus


class EditionListFilter(admin.RelatedFieldListFilter):
    """Filter by edition without one query per edition (an edition's name shows its programme)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or ("-year", "-number")
        editions = Edition.objects.select_related("programme").order_by(*ordering)
        return [(edition.pk, str(edition)) for edition in editions]


class EditionChoicesMixin:
    """Edition drop-downs name the programme: load it with the editions, not once per option."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.remote_field.model is Edition and "queryset" not in kwargs:
            kwargs["queryset"] = Edition.objects.select_related("programme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- programme ------------------------------------------------------------------------------


@admin.register(Programme)
class ProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "original_language", "created_at")
    list_filter = ("original_language",)
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ("name", "website", "identifier")
    search_fields = ("name", "identifier")


@admin.register(Theme)
class ThemeAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "order", "missing_translations")
    search_fields = ("slug", *translated("name"))
    prepopulated_fields = {"slug": ("name",)}


class EditionFunderInline(TranslationStackedInline):
    model = EditionFunder
    fields = ("funder", "amount", "currency", "order", "acknowledgement")
    extra = 0


class ReviewCriterionInline(TranslationStackedInline):
    model = ReviewCriterion
    fields = ("name", "description", "weight", "max_score", "order")
    extra = 0


class EligibilityQuestionInline(TranslationStackedInline):
    model = EligibilityQuestion
    fields = ("text", "required_answer", "failure_reason", "order")
    extra = 0


class ReportingDeadlineInline(admin.TabularInline):
    model = ReportingDeadline
    fields = ("kind", "period_start", "period_end", "due_on")
    extra = 0


class AgreementTemplateInline(TranslationStackedInline):
    """The edition's grant agreement: its texts around the particulars each grant fills in."""

    model = AgreementTemplate
    fields = ("title", "preamble", "clauses")
    extra = 0
    max_num = 1
    can_delete = True


class EditionHistoryInline(HistoryInline):
    model = EditionStatusChange
    status_choices = {"edition": EditionStatus}


class EditionAdminForm(forms.ModelForm):
    """The application window is typed and shown in the call's own time zone.

    Django reads and shows datetimes in the site's time zone; applicants are told the deadline
    in the call's. The form shows the stored moments in the call's zone and reads what is typed
    in the zone chosen on the same form, so "23:59" means 23:59 where the call says.
    """

    WINDOW = ("application_opens_at", "application_closes_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.call_time_zone
        for name in self.WINDOW:
            value = getattr(self.instance, name, None)
            if name in self.fields and value is not None:
                # A naive value is shown as it is, not converted to the site's zone.
                self.initial[name] = timezone.make_naive(value, zone)
            if name in self.fields:
                self.fields[name].help_text = _("In the time zone of the call, below.")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("application_time_zone") or "UTC"
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned  # the field's own validator reports it
        for field in self.WINDOW:
            value = cleaned.get(field)
            if value is not None:
                # Read in the site's zone by the form field: take the wall-clock time typed and
                # place it in the call's zone instead.
                cleaned[field] = timezone.make_aware(timezone.make_naive(value), zone)
                setattr(self.instance, field, cleaned[field])
        return cleaned


@admin.register(Edition)
class EditionAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    form = EditionAdminForm
    list_display = (
        "title",
        "programme",
        "year",
        "number",
        "status",
        "is_published",
        "missing_translations",
    )
    list_filter = ("programme", "status", "is_published", "year", "original_language")
    list_select_related = ("programme",)
    search_fields = ("slug", *translated("title"))
    prepopulated_fields = {"slug": ("year",)}
    readonly_fields = (*STATUS_FIELDS, "created_at", "updated_at")
    filter_horizontal = ("themes",)
    fieldsets = (
        (None, {"fields": ("programme", "number", "year", "slug", "original_language")}),
        (_("Texts"), {"fields": ("title", "introduction")}),
        (
            _("Call"),
            {
                "fields": (
                    ("period_start", "period_end"),
                    ("application_opens_at", "application_closes_at"),
                    "application_time_zone",
                    ("grant_minimum", "grant_maximum", "currency"),
                    "max_grants",
                    "themes",
                    "eligibility_rules",
                    "application_guidance",
                    "allow_multiple_applications",
                )
            },
        ),
        (
            _("Review and award"),
            {
                "fields": (
                    "min_reviewers_per_application",
                    "hide_applicant_identity",
                    "first_tranche_percent",
                )
            },
        ),
        (
            _("Status and publication"),
            {"fields": ("status", "is_published", "published_at", "created_at", "updated_at")},
        ),
    )
    inlines = (
        EditionFunderInline,
        EligibilityQuestionInline,
        ReviewCriterionInline,
        ReportingDeadlineInline,
        AgreementTemplateInline,
        EditionHistoryInline,
    )


@admin.register(EditionFunder)
class EditionFunderAdmin(EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("funder", "edition", "amount", "currency", "order")
    list_filter = (("edition", EditionListFilter), "funder")
    list_select_related = ("funder", "edition__programme")
    search_fields = ("funder__name", *translated("acknowledgement"))


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(SelectRelatedMixin, EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("name", "edition", "weight", "max_score", "order")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("name")


@admin.register(EligibilityQuestion)
class EligibilityQuestionAdmin(SelectRelatedMixin, EditionChoicesMixin, TabbedTranslationAdmin):
    list_display = ("text", "edition", "required_answer", "order")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("text")


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(EditionChoicesMixin, admin.ModelAdmin):
    list_display = ("edition", "kind", "period_start", "period_end", "due_on")
    list_filter = (("edition", EditionListFilter), "kind")
    list_select_related = ("edition__programme",)
    date_hierarchy = "due_on"


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(
    SelectRelatedMixin, EditionChoicesMixin, MissingTranslationsMixin, TabbedTranslationAdmin
):
    list_display = ("__str__", "edition", "updated_at", "missing_translations")
    list_filter = (("edition", EditionListFilter),)
    list_select_related = ("edition__programme",)
    search_fields = translated("title", "clauses")
    fields = ("edition", "title", "preamble", "clauses", "updated_at")
    readonly_fields = ("updated_at",)


@admin.register(EditionStatusChange)
class EditionStatusChangeAdmin(HistoryAdmin):
    parent = "edition"
    status_choices = {"edition": EditionStatus}
    list_select_related = ("edition__programme", "actor")
    list_filter = (("edition", EditionListFilter), "role")
