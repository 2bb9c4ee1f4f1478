"""The secretariat's records in the back office: personal data requests (exports, erasures)
and the runs of the retention schedule, to read only."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import PersonalDataRequest, RetentionRun


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
