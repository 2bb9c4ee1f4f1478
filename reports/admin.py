"""Back office for progress reports, their attachments, versions and the reminder log."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from grants.models import Activity, BudgetLine, Indicator, LineOfAction
from programme.admin import (
    STATUS_FIELDS,
    EditionListFilter,
    HistoryAdmin,
    HistoryInline,
    ReadOnlyAdmin,
    SelectRelatedMixin,
    VersionedAdminMixin,
    translated,
)

from .models import (
    ActivityProgress,
    Attachment,
    IndicatorValue,
    Narrative,
    Reminder,
    Report,
    ReportStatusChange,
    ReportVersion,
    Spending,
)
from .workflow import ReportStatus

INITIATIVE_TITLE_SEARCH = tuple(f"initiative__{column}" for column in translated("title"))
REPORT_SEARCH = tuple(f"report__{column}" for column in INITIATIVE_TITLE_SEARCH)

# The workplan parts a report's rows point to, by the name of the foreign key.
WORKPLAN_PARTS = {
    "line_of_action": LineOfAction,
    "activity": Activity,
    "indicator": Indicator,
    "budget_line": BudgetLine,
}


class ReportPartInline(admin.TabularInline):
    """A part of a report; it may only point to the workplan of the report's own initiative."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        request._admin_report = obj  # read by formfield_for_foreignkey while the form is built
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in WORKPLAN_PARTS:
            model = WORKPLAN_PARTS[db_field.name]
            report = getattr(request, "_admin_report", None)
            if report is None:
                kwargs["queryset"] = model.objects.none()
            else:
                queryset = model.objects.filter(initiative_id=report.initiative_id)
                # A line's title falls back to its initiative's language: load them together.
                if model is LineOfAction:
                    queryset = queryset.select_related("initiative")
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NarrativeInline(ReportPartInline):
    model = Narrative
    fields = ("line_of_action", "text")


class ActivityProgressInline(ReportPartInline):
    model = ActivityProgress
    fields = ("activity", "status", "percent_complete", "note")
    readonly_fields = STATUS_FIELDS


class IndicatorValueInline(ReportPartInline):
    model = IndicatorValue
    fields = ("indicator", "value", "note")


class SpendingInline(ReportPartInline):
    model = Spending
    fields = ("budget_line", "amount", "note")


class AttachmentInline(admin.TabularInline):
    """Files are listed, not linked: they are private and will be served by a checked view."""

    model = Attachment
    fields = (
        "kind",
        "original_name",
        "content_type",
        "size",
        "caption",
        "is_publishable",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the attachment's own page (or the portal)


class ReportHistoryInline(HistoryInline):
    model = ReportStatusChange
    status_choices = {"report": ReportStatus}


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    fields = ("number", "status", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(SelectRelatedMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = (
        "initiative",
        "kind",
        "period_start",
        "period_end",
        "due_on",
        "status",
        "submitted_at",
        "accepted_at",
    )
    list_filter = (("initiative__edition", EditionListFilter), "status", "kind", "language")
    list_select_related = ("initiative",)
    search_fields = (*INITIATIVE_TITLE_SEARCH, "initiative__lead_organisation__name")
    date_hierarchy = "due_on"
    autocomplete_fields = ("initiative",)
    readonly_fields = (
        *STATUS_FIELDS,
        "submitted_at",
        "accepted_at",
        "version",
        "updated_at",
        "updated_by",
    )
    fieldsets = (
        (None, {"fields": ("initiative", "kind", ("period_start", "period_end"), "due_on")}),
        (_("Report"), {"fields": ("language", "challenges", "lessons", "highlights")}),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "submitted_at",
                    "accepted_at",
                    "version",
                    "updated_at",
                    "updated_by",
                )
            },
        ),
    )
    inlines = (
        NarrativeInline,
        ActivityProgressInline,
        IndicatorValueInline,
        SpendingInline,
        AttachmentInline,
        ReportHistoryInline,
        ReportVersionInline,
    )

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportStatusChange)
class ReportStatusChangeAdmin(HistoryAdmin):
    parent = "report"
    status_choices = {"report": ReportStatus}
    list_select_related = ("report__initiative", "actor")
    list_filter = (("report__initiative__edition", EditionListFilter), "role")


class ReportPartAdmin(admin.ModelAdmin):
    list_select_related = ("report__initiative",)
    list_filter = (("report__initiative__edition", EditionListFilter),)
    search_fields = REPORT_SEARCH
    autocomplete_fields = ("report",)


@admin.register(Narrative)
class NarrativeAdmin(ReportPartAdmin):
    list_display = ("report", "line_of_action")
    list_select_related = ("report__initiative", "line_of_action__initiative")
    autocomplete_fields = ("report", "line_of_action")


@admin.register(ActivityProgress)
class ActivityProgressAdmin(ReportPartAdmin):
    list_display = ("report", "activity", "status", "percent_complete")
    list_select_related = ("report__initiative", "activity")
    list_filter = (("report__initiative__edition", EditionListFilter), "status")
    autocomplete_fields = ("report", "activity")
    readonly_fields = STATUS_FIELDS


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReportPartAdmin):
    list_display = ("report", "indicator", "value")
    list_select_related = ("report__initiative", "indicator")
    autocomplete_fields = ("report", "indicator")


@admin.register(Spending)
class SpendingAdmin(ReportPartAdmin):
    list_display = ("report", "budget_line", "amount")
    list_select_related = ("report__initiative", "budget_line")
    autocomplete_fields = ("report", "budget_line")


@admin.register(Attachment)
class AttachmentAdmin(ReportPartAdmin):
    list_display = (
        "original_name",
        "report",
        "kind",
        "content_type",
        "size",
        "is_publishable",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = (
        ("report__initiative__edition", EditionListFilter),
        "kind",
        "is_publishable",
    )
    list_select_related = ("report__initiative", "uploaded_by")
    search_fields = ("original_name", "caption", *REPORT_SEARCH)
    date_hierarchy = "uploaded_at"
    readonly_fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")

    def get_fields(self, request, obj=None):
        # A stored file is private: the admin shows its name, never a link to the file itself.
        upload = () if obj is not None else ("file",)
        return ("report", "kind", *upload, "caption", "is_publishable", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        if not change and upload is not None:
            # TODO(uploads): check the type by content and the size once upload validation
            # exists; until then the browser's declared type is recorded as given.
            obj.original_name = upload.name
            obj.content_type = getattr(upload, "content_type", "") or "application/octet-stream"
            obj.size = upload.size
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("report", "number", "status", "created_by", "created_at")
    list_filter = (("report__initiative__edition", EditionListFilter), "status")
    list_select_related = ("report__initiative", "created_by")
    search_fields = REPORT_SEARCH
    date_hierarchy = "created_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """The log that makes each reminder go out once: a row added by hand would silence one."""

    list_display = ("report", "recipient", "kind", "sequence", "created_at", "sent_at")
    list_filter = (("report__initiative__edition", EditionListFilter), "kind")
    list_select_related = ("report__initiative", "recipient")
    search_fields = ("recipient__email", *REPORT_SEARCH)
    date_hierarchy = "created_at"
