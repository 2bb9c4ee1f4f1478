"""The secretariat's records in the back office, to read only: the lists exported (who, which
list and filters, when), personal data requests (exports, erasures) and the runs of the
retention schedule."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Export, PersonalDataRequest, RetentionRun


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "model", "format", "status", "row_count", "requested_by")
    list_filter = ("status", "format", "model")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__email", "filename")
    date_hierarchy = "created_at"
    # The file itself is downloaded by its requester only, from the link they were sent.
    fields = (
        "created_at",
        "requested_by",
        "model",
        "query",
        "format",
        "language",
        "status",
        "row_count",
        "filename",
        "error",
        "finished_at",
        "expires_at",
    )
    readonly_fields = fields


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject_type", "subject_id", "subject_label", "actor")
    list_filter = ("kind", "subject_type")
    list_select_related = ("actor",)
    search_fields = ("subject_label",)
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "kind",
        "subject_type",
        "subject_id",
        "subject_label",
        "actor",
        "counts",
    )
    readonly_fields = fields


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "applications_anonymised",
        "drafts_deleted",
        "declined_before",
        "drafts_before",
    )
    date_hierarchy = "started_at"
    fields = list_display
    readonly_fields = fields
