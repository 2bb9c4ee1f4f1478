"""Back office of the funded initiatives and their workplans: lines of action, activities,
indicators, budget lines, tranches, agreement versions and status history. Workplans are
approved or sent back on the secretariat's review page, which the list links to; the grant
agreement is issued with the list's action."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from core.admin import (
    STATUS_FIELDS,
    CarryOverMixin,
    ChoicesOnce,
    CountriesFilter,
    HistoryAdmin,
    HistoryInline,
    LongListMixin,
    MissingTranslationFilter,
    MissingTranslationsMixin,
    ParentKnownFormSet,
    ReadOnlyAdmin,
    SearchableCountriesMixin,
    SelectRelatedMixin,
    TabbedTranslationAdmin,
    comment_action,
    money_column,
    run_for_each,
    translated,
)
from core.admin_rows import reverse_row
from core.exports import Column, ExportMixin
from notifications.admin import StaffNotesMixin
from programme.admin import EditionChoicesMixin, EditionListFilter

from ..models import (
    Activity,
    BudgetLine,
    Disbursement,
    Indicator,
    InitiativeExtension,
    InitiativeStatusChange,
    LineOfAction,
    PublicLineOfAction,
)
from ..services import initiative_extend, initiative_terminate, public_lines_refresh
from ..workflow import InitiativeStatus, WorkplanStatus
from .agreements import AgreementInline, issue_agreement


@admin.action(description=_("Terminate the selected grants"))
def terminate_initiatives(modeladmin, request, queryset):
    """Running grants ended early, with the reason: their unpaid tranches are cancelled, their
    reports no longer reminded, and the organisation is told."""
    return comment_action(
        modeladmin,
        request,
        queryset,
        action="terminate_initiatives",
        texts={
            "title": gettext("Terminate grants"),
            "intro": gettext(
                "The selected grants end now: their tranches not paid yet are cancelled, their "
                "reports are no longer reminded, and each organisation is told, with the reason."
            ),
            "button": gettext("Terminate the grants"),
            "done": gettext("Grants terminated: %(count)s."),
            "label": gettext("Reason for terminating (sent to the organisation)"),
        },
        step=lambda initiative, reason: initiative_terminate(
            initiative=initiative, actor=request.user, reason=reason
        ),
    )


# The workplan's statuses by value, as ``get_workplan_status_display`` reads them.
WORKPLAN_LABELS = dict(WorkplanStatus.choices)


class ExtensionForm(forms.Form):
    new_end = forms.DateField(
        label=_("New end date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason (sent to the organisation)"), widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.action(description=_("Extend the selected grants (no-cost extension)"))
def extend_initiatives(modeladmin, request, queryset):
    """A page asking for the new end date and the reason; then each selected grant is extended
    (``initiative_extend``: its end, the due dates of its reports not submitted yet and of the
    tranches paid on them move later, with history) or refused with the reason."""
    form = ExtensionForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        run_for_each(
            modeladmin,
            request,
            queryset,
            lambda initiative: initiative_extend(
                initiative=initiative,
                actor=request.user,
                new_end=form.cleaned_data["new_end"],
                reason=form.cleaned_data["reason"],
            ),
            gettext("Grants extended: %(count)s."),
        )
        return None
    return TemplateResponse(
        request,
        "admin/grants/initiative/extend.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("No-cost extension"),
            "objects": list(queryset),
            "form": form,
            "action": "extend_initiatives",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


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
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.choices = ChoicesOnce(formfield)  # one query, not one per row
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LineOfActionInline(TranslationStackedInline):
    model = LineOfAction
    fields = ("title", "description", "order")
    extra = 0


class PublicLineOfActionInline(admin.TabularInline):
    """What the public pages show: the lines of the last approved workplan (read only)."""

    model = PublicLineOfAction
    fields = ("order", "title", "description")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def refresh_public_lines(modeladmin, request, initiative) -> None:
    """After the secretariat saved lines of action: an approved workplan's reach the public
    pages at once; a workplan being revised keeps the approved ones there (said so)."""
    if initiative.workplan_status == WorkplanStatus.APPROVED:
        public_lines_refresh(initiative=initiative)
    else:
        modeladmin.message_user(
            request,
            gettext(
                "The public page keeps the lines of action of the last approved workplan until "
                "this one is approved (or until you choose “Show the current lines of action "
                "on the public page”)."
            ),
            messages.INFO,
        )


@admin.action(description=_("Show the current lines of action on the public page"))
def show_current_lines(modeladmin, request, queryset):
    """The secretariat's own choice, whatever the workplan's status."""
    count = 0
    for initiative in queryset:
        public_lines_refresh(initiative=initiative)
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "The public page of %(count)s initiative shows the current lines of action.",
            "The public pages of %(count)s initiatives show the current lines of action.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


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
    # A payment is recorded by its service (the tranches' "record the payments" action).
    readonly_fields = (*STATUS_FIELDS, "paid_on", "reference")
    extra = 0
    show_change_link = True
    formset = ParentKnownFormSet  # each row is named after its initiative


class InitiativeExtensionInline(admin.TabularInline):
    """The no-cost extensions of the grant: written by the extension action, never by hand."""

    model = InitiativeExtension
    fields = ("created_at", "old_end", "new_end", "reason", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class InitiativeHistoryInline(HistoryInline):
    model = InitiativeStatusChange
    status_choices = {"initiative": InitiativeStatus, "workplan": WorkplanStatus}


@admin.action(description=_("Download the audit dossiers"))
def download_dossiers(modeladmin, request, queryset):
    """The selected initiatives' audit dossiers, in one ZIP (the secretariat's page builds it)."""
    ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
    return HttpResponseRedirect(f"{reverse('secretariat:dossiers')}?ids={ids}")


class InitiativeAdmin(
    LongListMixin,
    ExportMixin,
    StaffNotesMixin,
    MissingTranslationsMixin,
    CarryOverMixin,
    SearchableCountriesMixin,
    EditionChoicesMixin,
    TabbedTranslationAdmin,
):
    carry_over = ("edition", "currency", "period_start", "period_end", "original_language")
    public_help_texts = {
        "title": _(
            "The heading of the initiative's public page, of its section on the edition's page "
            "and of its card in lists and search results."
        ),
        "summary": _(
            "Two or three sentences for the initiative's card in lists and search results, and "
            "what search engines, social media and the open data show as its description. "
            "Empty: the start of the project description is used."
        ),
        "description": _(
            "The main text of the initiative's public page and of its section on the edition's "
            "page."
        ),
        "expected_results": _(
            "Under “Expected results” on the initiative's public page and on the edition's page."
        ),
        "cover_caption": _(
            "Under the cover photo on the initiative's and the edition's pages; also read out "
            "in place of the photo."
        ),
    }
    list_display = (
        "title",
        "lead_organisation",
        "edition",
        "coverage",
        "amount",
        "status",
        "workplan_review",
        "missing_translations",
    )
    list_filter = (
        "edition__programme",
        ("edition", EditionListFilter),
        "status",
        "workplan_status",
        ("countries", CountriesFilter),
        "themes",
        "is_published",
        ("edition__is_published", admin.BooleanFieldListFilter),
        "is_at_risk",
        MissingTranslationFilter,
    )
    list_select_related = ("edition__programme", "lead_organisation")
    export_columns = (
        Column("pk", _("ID")),
        "title",
        Column("lead_organisation.name", _("led by")),
        Column("edition", _("edition")),
        "countries",
        "places",
        "amount_awarded",
        "currency",
        "awarded_on",
        "period_start",
        "period_end",
        "status",
        "workplan_status",
        "is_published",
        "is_at_risk",
    )
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
        "at_risk_requested",
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
                    "at_risk_requested",
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
        PublicLineOfActionInline,
        ActivityInline,
        IndicatorInline,
        BudgetLineInline,
        DisbursementInline,
        InitiativeExtensionInline,
        AgreementInline,
        InitiativeHistoryInline,
    )
    actions = (
        issue_agreement,
        show_current_lines,
        terminate_initiatives,
        extend_initiatives,
        download_dossiers,
    )
    # The audit dossier's link and the staff notes' thread.
    change_form_template = "admin/grants/initiative/change_form.html"

    amount = money_column("amount_awarded", "currency", _("amount awarded"))

    @admin.display(description=_("coverage"))
    def coverage(self, obj) -> str:
        return obj.coverage

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        lines_changed = any(
            formset.model is LineOfAction and formset.has_changed() for formset in formsets
        )
        if lines_changed:
            refresh_public_lines(self, request, form.instance)

    @admin.display(description=_("asks not to be named in public"))
    def at_risk_requested(self, obj) -> str:
        """What the applicant asked in the application (the grant started at risk if so)."""
        application = obj.application if obj.application_id else None
        if application is None:
            return "—"
        return gettext("Yes") if application.is_at_risk_requested else gettext("No")

    @admin.display(description=_("workplan"), ordering="workplan_status")
    def workplan_review(self, obj) -> str:
        """The workplan's status, linked to the secretariat's review page (where it is
        approved or sent back)."""
        if obj is None or obj.pk is None:
            return "—"
        # The label as ``get_workplan_status_display`` gives it, without building the
        # choices' dictionary at each row; the address reversed once per list (issue 14).
        status = obj.workplan_status
        return format_html(
            '<a href="{}">{}</a>',
            reverse_row("secretariat:workplan_review", obj.pk),
            WORKPLAN_LABELS.get(status, status),
        )


class InitiativeExtensionAdmin(ReadOnlyAdmin):
    """Every no-cost extension: which grant, from which end to which, why, who, when."""

    list_display = ("initiative", "old_end", "new_end", "actor", "created_at")
    list_select_related = ("initiative", "actor")
    list_filter = (("initiative__edition", EditionListFilter),)
    search_fields = ("reason", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "created_at"
    fields = ("initiative", "old_end", "new_end", "reason", "actor", "created_at")
    readonly_fields = fields


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_public_lines(self, request, obj.initiative)

    def delete_model(self, request, obj):
        initiative = obj.initiative
        super().delete_model(request, obj)
        refresh_public_lines(self, request, initiative)


class PublicLineOfActionAdmin(SelectRelatedMixin, ReadOnlyAdmin):
    """What the public pages show: copied from the workplan when it is approved (or when the
    secretariat chooses to), never edited here."""

    list_display = ("title", "initiative", "order")
    list_filter = (("initiative__edition", EditionListFilter),)
    list_select_related = ("initiative",)
    search_fields = (*translated("title"), *(f"initiative__{f}" for f in translated("title")))


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
