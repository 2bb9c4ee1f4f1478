"""Back office for progress reports, their attachments, versions and the reminder log.

Reports are accepted or sent back on the secretariat's review page, which the list links to."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.admin import (
    STATUS_FIELDS,
    ChoicesOnce,
    HistoryAdmin,
    HistoryInline,
    LongListMixin,
    MissingTranslationsMixin,
    ReadOnlyAdmin,
    SelectRelatedMixin,
    TabbedTranslationAdmin,
    VersionedAdminMixin,
    period_column,
    run_for_each,
    translated,
)
from core.admin_rows import reverse_row
from core.errors import DomainError
from core.exports import Column, ExportMixin
from core.files import check_upload
from core.pdf import pdf_response
from grants.models import Activity, BudgetLine, Indicator, LineOfAction
from notifications.admin import StaffNotesMixin
from organisations.selectors import is_secretariat
from programme.admin import EditionListFilter
from programme.models import Edition

from .models import (
    EDITABLE_STATUSES,
    ActivityProgress,
    Attachment,
    IndicatorValue,
    Narrative,
    PublicResult,
    Reminder,
    Report,
    ReportStatusChange,
    ReportVersion,
    ReviewComment,
    Spending,
)
from .printouts import report_filename, report_pdf
from .selectors import due_soon_q, overdue_q
from .services import report_remind_now
from .services.reminders import members_by_organisation
from .versions import snapshot
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
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.choices = ChoicesOnce(formfield)  # one query, not one per row
            return formfield
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


def attachment_link(obj) -> str:
    """A link to the file through the portal's checked view, never to the stored file."""
    if obj is None or obj.pk is None:
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("portal:attachment", kwargs={"pk": obj.pk}),
        obj.original_name,
    )


class AttachmentInline(admin.TabularInline):
    """Files are private: linked through the portal's view, which checks who asks."""

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

    @admin.display(description=_("original file name"))
    def original_name(self, obj) -> str:
        return attachment_link(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the attachment's own page (or the portal)


class ReportHistoryInline(HistoryInline):
    model = ReportStatusChange
    status_choices = {"report": ReportStatus}


class ReviewCommentInline(admin.TabularInline):
    """The secretariat's comments per section, written by report_request_changes."""

    model = ReviewComment
    fields = ("created_at", "version", "section", "text", "author")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "version__report__initiative")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OverdueFilter(admin.SimpleListFilter):
    """Reports past their due date that the grantee has not handed in (or must hand in again),
    or due within the next 14 days (the dashboard's figures lead here)."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Overdue")),
            ("no", _("Not overdue")),
            ("soon", _("Due within 14 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(overdue_q(today))
        if self.value() == "no":
            return queryset.exclude(overdue_q(today))
        if self.value() == "soon":
            return queryset.filter(due_soon_q(today))
        return queryset


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


@admin.action(description=_("Send a reminder now"), permissions=["change"])
def send_reminders(modeladmin, request, queryset):
    """Remind the organisation of each selected report now (``report_remind_now``); reports
    handed in, or reminded by hand a few minutes ago, are refused with the reason."""
    if not is_secretariat(request.user):
        raise PermissionDenied
    run_for_each(
        modeladmin,
        request,
        queryset.select_related("initiative"),
        lambda report: report_remind_now(report=report, actor=request.user),
        gettext("Reports reminded: %(count)s."),
    )


@admin.register(Report)
class ReportAdmin(
    LongListMixin,
    ExportMixin,
    StaffNotesMixin,
    SelectRelatedMixin,
    VersionedAdminMixin,
    admin.ModelAdmin,
):
    list_display = (
        "initiative",
        "kind",
        "period",
        "due_on",
        "status",
        "submitted_at",
        "accepted_at",
        "review_link",
    )
    period = period_column("period_start", "period_end", _("period"))
    list_filter = (
        "initiative__edition__programme",
        ("initiative__edition", EditionListFilter),
        "status",
        OverdueFilter,
        "kind",
        "language",
    )
    list_select_related = ("initiative",)
    actions = (send_reminders,)
    export_select_related = ("initiative__lead_organisation",)
    export_columns = (
        Column("pk", _("ID")),
        Column("initiative.title", _("initiative")),
        Column("initiative.lead_organisation.name", _("organisation")),
        "kind",
        "period_start",
        "period_end",
        "due_on",
        "status",
        "language",
        "submitted_at",
        "accepted_at",
    )

    def get_export_columns(self):
        # The editions' names, read once: not an edition and a programme per report.
        editions = {e.pk: str(e) for e in Edition.objects.select_related("programme")}
        columns = super().get_export_columns()
        edition = Column(editions.get, _("edition"), reads=("initiative__edition_id",))
        return [*columns[:3], edition, *columns[3:]]

    def get_export_queryset(self, queryset):
        """Only the columns the export reads (a report list can hold 50,000 rows): the
        initiative's title in every language and its original language, for the fallback."""
        languages = [code for code, _name in settings.LANGUAGES]
        return (
            super()
            .get_export_queryset(queryset)
            .only(
                *("kind", "period_start", "period_end", "due_on", "status", "language"),
                *("submitted_at", "accepted_at", "initiative__original_language"),
                *(f"initiative__title_{code}" for code in languages),
                *("initiative__edition_id", "initiative__lead_organisation__name"),
            )
        )

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
        "review_link",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "initiative",
                    "kind",
                    ("period_start", "period_end"),
                    "due_on",
                    "review_link",
                )
            },
        ),
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
        ReviewCommentInline,
        ReportVersionInline,
    )

    # The PDF's link and the staff notes' thread.
    change_form_template = "admin/reports/report/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="reports_report_pdf",
            ),
            path(
                "<int:pk>/remind/",
                self.admin_site.admin_view(self.remind_view),
                name="reports_report_remind",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        report = self.get_object(request, object_id)
        # "Send a reminder now…" on reports the organisation still has to hand in.
        extra_context["can_remind"] = (
            report is not None
            and report.status in EDITABLE_STATUSES
            and is_secretariat(request.user)
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def remind_view(self, request, pk: int):
        """Who the reminder goes to and the reminders already sent; the button sends it
        (``report_remind_now``), then back to the report with what happened."""
        if not is_secretariat(request.user):
            raise PermissionDenied
        report = get_object_or_404(
            Report.objects.select_related("initiative__lead_organisation"), pk=pk
        )
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        if request.method == "POST":
            try:
                reminders = report_remind_now(report=report, actor=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Reminder sent to %(people)s.")
                    % {"people": ", ".join(r.recipient.email for r in reminders)},
                    messages.SUCCESS,
                )
            return redirect("admin:reports_report_change", report.pk)
        organisation_id = report.initiative.lead_organisation_id
        return TemplateResponse(
            request,
            "admin/reports/report/remind.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Send a reminder now"),
                "opts": self.model._meta,
                "report": report,
                "can_remind": report.status in EDITABLE_STATUSES,
                "recipients": members_by_organisation([organisation_id])[organisation_id],
                "reminders": report.reminders.select_related("recipient", "sent_by")[:20],
            },
        )

    def pdf_view(self, request, pk: int):
        """The report as a PDF, in the reader's language."""
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, report):
            raise PermissionDenied
        return pdf_response(
            report_pdf(report, language=get_language()), filename=report_filename(report)
        )

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            # A change made in the back office is a version like any other, so it shows in
            # the comparison of versions (the form moved ``version`` on by one).
            ReportVersion.objects.get_or_create(
                report=form.instance,
                number=form.instance.version,
                defaults={
                    "content": snapshot(form.instance),
                    "status": form.instance.status,
                    "created_by": request.user,
                },
            )

    @admin.display(description=_("review"))
    def review_link(self, obj) -> str:
        """The secretariat's review page, where a report is accepted or sent back."""
        if obj is None or obj.pk is None:
            return "—"
        label = _("Review") if obj.status == ReportStatus.SUBMITTED else _("Read")
        return format_html(
            '<a href="{}">{}</a>',
            reverse_row("secretariat:report_review", obj.pk),
            label,
        )


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


class AttachmentAdminForm(forms.ModelForm):
    """Uploads in the back office pass the same checks as in the portal."""

    class Meta:
        model = Attachment
        fields = ["report", "file", "caption", "is_publishable"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and self.instance.pk is None:
            try:
                self.cleaned_data["checked"] = check_upload(upload)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
        return upload


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
    readonly_fields = (
        "original_name",
        "download",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    form = AttachmentAdminForm

    def get_fields(self, request, obj=None):
        # A stored file is private: the admin links to the portal's checked view, never to
        # the file itself. The kind follows from the file's content.
        upload = () if obj is not None else ("file",)
        return ("report", *upload, "caption", "is_publishable", *self.readonly_fields)

    @admin.display(description=_("file"))
    def download(self, obj) -> str:
        return attachment_link(obj)

    def save_model(self, request, obj, form, change):
        checked = form.cleaned_data.get("checked")
        if not change and checked is not None:
            obj.original_name = checked.name
            obj.content_type = checked.content_type
            obj.size = checked.size
            obj.kind = Attachment.Kind.PHOTO if checked.type.is_image else Attachment.Kind.FILE
            obj.uploaded_by = request.user
            # What is stored is what was checked (a photo re-encoded), under a random name.
            checked.store(obj.file)
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

    list_display = ("report", "recipient", "kind", "sequence", "created_at", "sent_at", "sent_by")
    list_filter = (("report__initiative__edition", EditionListFilter), "kind")
    list_select_related = ("report__initiative", "recipient", "sent_by")
    search_fields = ("recipient__email", *REPORT_SEARCH)
    date_hierarchy = "created_at"


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    """The secretariat's comments per section: written with a request for changes."""

    list_display = ("report", "section", "version", "author", "created_at")
    list_filter = (("report__initiative__edition", EditionListFilter), "section")
    # A version is named after its report: load both with it.
    list_select_related = ("report__initiative", "version__report__initiative", "author")
    search_fields = ("text", *REPORT_SEARCH)
    date_hierarchy = "created_at"


@admin.register(PublicResult)
class PublicResultAdmin(MissingTranslationsMixin, TabbedTranslationAdmin):
    """Results on the public pages: chosen on the report's "Results on the public page" page;
    here the secretariat translates their texts."""

    list_display = (
        "initiative",
        "kind",
        "is_published",
        "published_by",
        "published_at",
        "missing_translations",
    )
    list_filter = (("initiative__edition", EditionListFilter), "kind", "is_published")
    list_select_related = ("initiative", "published_by")
    search_fields = INITIATIVE_TITLE_SEARCH
    fields = (
        "initiative",
        "report",
        "kind",
        "text",
        "caption",
        "original_language",
        "choose",
        "is_published",
        "published_by",
        "published_at",
        "withdrawn_by",
        "withdrawn_at",
    )
    readonly_fields = (
        "initiative",
        "report",
        "kind",
        "original_language",
        "choose",
        "is_published",
        "published_by",
        "published_at",
        "withdrawn_by",
        "withdrawn_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # chosen on the report's page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdrawn there, with who and when

    @admin.display(description=_("publish or withdraw"))
    def choose(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("secretariat:report_results", kwargs={"pk": obj.report_id}),
            _("Results on the public page"),
        )
