"""Back office of the light track: one member of the secretariat screens and decides small-grant
applications in bulk from the list, verifies bank details, makes the payment file for the bank
and records what the bank paid (one by one, or from the bank's return file), then accepts the
one-page reports."""

from __future__ import annotations

import mimetypes

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, HistoryInline, TabbedTranslationAdmin, comment_action
from core.errors import DomainError
from core.exports import Column, ExportMixin
from core.files import private_file_response
from core.staff import is_secretariat
from programme.admin import EditionListFilter
from programme.models import Edition

from ..models import LightDeclineReason, LightPhoto, LightStatusChange, PaymentBatch
from ..models import PaymentFileLayout as Layout
from ..selectors.dashboard import light_report_due_soon_q, light_report_overdue_q
from ..services.light import (
    batch_rows,
    light_decide,
    light_payment_file,
    light_record_paid,
    light_record_return_file,
    light_report_accept,
    light_report_request_changes,
    light_verify_payees,
    payment_file_content,
)
from ..workflow import LightPaymentStatus, LightReportStatus, LightStatus

STATUSES = {
    "light_application": LightStatus,
    "light_payment": LightPaymentStatus,
    "light_report": LightReportStatus,
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _ask(modeladmin, request, queryset, *, action: str, form, texts: dict):
    """The intermediate page of an action that needs a choice (a reason, a layout...)."""
    return TemplateResponse(
        request,
        "admin/form_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": texts["title"],
            "intro": texts["intro"],
            "button": texts["button"],
            "objects": list(queryset),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


@admin.action(description=_("Approve the selected applications"))
def approve(modeladmin, request, queryset):
    try:
        count = light_decide(ids=_ids(queryset), actor=request.user, approve=True)
    except DomainError as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return
    modeladmin.message_user(
        request,
        ngettext("%(count)s application approved.", "%(count)s applications approved.", count)
        % {"count": count},
        messages.SUCCESS,
    )


class DeclineForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Reason, sent to each applicant in their language"),
        queryset=LightDeclineReason.objects.filter(is_active=True),
    )

    def __init__(self, *args, objects=None, **kwargs):
        super().__init__(*args, **kwargs)


@admin.action(description=_("Decline the selected applications…"))
def decline(modeladmin, request, queryset):
    form = DeclineForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            count = light_decide(
                ids=_ids(queryset),
                actor=request.user,
                approve=False,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
            return None
        modeladmin.message_user(
            request,
            ngettext("%(count)s application declined.", "%(count)s applications declined.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None
    return _ask(
        modeladmin,
        request,
        queryset,
        action="decline",
        form=form,
        texts={
            "title": gettext("Decline applications"),
            "intro": gettext("These applications will be declined with the reason you choose:"),
            "button": gettext("Decline"),
        },
    )


@admin.action(description=_("Mark the bank details of the selected grants as verified"))
def verify_payees(modeladmin, request, queryset):
    try:
        count = light_verify_payees(ids=_ids(queryset), actor=request.user)
    except DomainError as error:
        modeladmin.message_user(request, error.message, messages.ERROR)
        return
    modeladmin.message_user(
        request,
        ngettext(
            "Bank details of %(count)s grant verified.",
            "Bank details of %(count)s grants verified.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class LayoutForm(forms.Form):
    layout = forms.ModelChoiceField(label=_("Layout of the file"), queryset=Layout.objects.all())


@admin.action(description=_("Make the payment file of the selected grants…"))
def make_payment_file(modeladmin, request, queryset):
    form = LayoutForm(
        request.POST if "apply" in request.POST else None,
        initial={"layout": Layout.objects.filter(is_default=True).first()},
    )
    if "apply" in request.POST and form.is_valid():
        try:
            batch = light_payment_file(
                ids=_ids(queryset), layout=form.cleaned_data["layout"], actor=request.user
            )
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
            return None
        return _file_response(batch)
    return _ask(
        modeladmin,
        request,
        queryset,
        action="make_payment_file",
        form=form,
        texts={
            "title": gettext("Payment file"),
            "intro": gettext(
                "A file for the bank will pay these grants; each must be approved, its "
                "agreement accepted and its bank details verified and unchanged since:"
            ),
            "button": gettext("Make the file"),
        },
    )


def _file_response(batch: PaymentBatch) -> HttpResponse:
    content = payment_file_content(layout=batch.layout, rows=batch_rows(batch))
    response = HttpResponse(content, content_type=CONTENT_TYPES[batch.layout.file_format])
    response["Content-Disposition"] = f'attachment; filename="{batch.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=100)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate"), max_digits=14, decimal_places=6, initial=1
    )
    fees = forms.DecimalField(label=_("Fees"), max_digits=12, decimal_places=2, initial=0)

    def __init__(self, *args, objects=None, **kwargs):
        super().__init__(*args, **kwargs)


@admin.action(description=_("Record the selected grant as paid…"))
def record_paid(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, gettext("Record payments one grant at a time."), messages.ERROR
        )
        return None
    form = PaidForm(
        request.POST if "apply" in request.POST else None,
        initial={"paid_on": timezone.localdate()},
    )
    if "apply" in request.POST and form.is_valid():
        try:
            light_record_paid(application=queryset.get(), actor=request.user, **form.cleaned_data)
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
            return None
        modeladmin.message_user(request, gettext("Payment recorded."), messages.SUCCESS)
        return None
    return _ask(
        modeladmin,
        request,
        queryset,
        action="record_paid",
        form=form,
        texts={
            "title": gettext("Record a payment"),
            "intro": gettext("The bank confirmed the payment of:"),
            "button": gettext("Record the payment"),
        },
    )


@admin.action(description=_("Accept the reports of the selected grants"))
def accept_reports(modeladmin, request, queryset):
    done = 0
    for application in queryset:
        try:
            light_report_accept(application=application, actor=request.user)
        except DomainError as error:
            modeladmin.message_user(request, f"{application}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)s report accepted.", "%(count)s reports accepted.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.action(description=_("Ask for changes to the reports of the selected grants…"))
def request_report_changes(modeladmin, request, queryset):
    return comment_action(
        modeladmin,
        request,
        queryset,
        action="request_report_changes",
        texts={
            "title": gettext("Ask for changes to reports"),
            "intro": gettext("The grantees of these reports will be asked for changes:"),
            "button": gettext("Ask for changes"),
            "done": gettext("Changes requested to %(count)s reports."),
            "label": gettext("What to change"),
        },
        step=lambda obj, comment: light_report_request_changes(
            application=obj, actor=request.user, comment=comment
        ),
    )


class LightHistoryInline(HistoryInline):
    model = LightStatusChange
    status_choices = STATUSES


def _photo_link(photo: LightPhoto) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:grants_lightphoto_file", args=[photo.pk]),
        gettext("Open the photo"),
    )


class LightPhotoInline(admin.TabularInline):
    model = LightPhoto
    fields = ("caption", "has_consent", "published", "file")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("published"), boolean=True)
    def published(self, obj) -> bool:
        return bool(obj.public_copy)

    @admin.display(description=_("photo"))
    def file(self, obj) -> str:
        return _photo_link(obj)


# Written only by the light-track services.
WORKFLOW_FIELDS = (
    "status",
    "received_at",
    "decided_at",
    "decided_by",
    "decline_reason",
    "agreement_accepted_at",
    "payment_status",
    "batch",
    "paid_on",
    "payment_reference",
    "exchange_rate",
    "fees",
    "payee_verified_by",
    "payee_verified_at",
    "report_status",
    "report_due_on",
    "report_text",
    "report_participants",
    "report_link",
    "report_submitted_at",
)


class ReportDueFilter(admin.SimpleListFilter):
    """One-page reports still to send: overdue, or due within 14 days (the dashboard's
    figures lead here)."""

    title = _("report due")
    parameter_name = "report_due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due within 14 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(light_report_overdue_q(today))
        if self.value() == "soon":
            return queryset.filter(light_report_due_soon_q(today))
        return queryset


def _edition_names() -> dict[int, str]:
    """The editions' names (with their programme), read once for an export."""
    return {e.pk: str(e) for e in Edition.objects.select_related("programme")}


class LightApplicationAdmin(ExportMixin, admin.ModelAdmin):
    list_display = (
        "group_name",
        "country",
        "city",
        "action_date",
        "amount",
        "status",
        "is_duplicate",
        "payee_verified",
        "payment_status",
        "report_status",
    )
    list_filter = (
        "edition__programme",
        ("edition", EditionListFilter),
        "status",
        "is_duplicate",
        "payment_status",
        "report_status",
        ReportDueFilter,
        "currency",
        "is_at_risk",
    )
    list_select_related = ("edition__programme",)
    export_columns = (
        Column("reference", _("Reference")),
        "group_name",
        "email",
        "language",
        "country",
        "city",
        "action_date",
        "expected_participants",
        "amount",
        "currency",
        "status",
        "received_at",
        "decided_at",
        "decline_reason",
        "agreement_accepted_at",
        Column(lambda a: a.payee_verified_at is not None, _("bank details verified")),
        "payment_status",
        Column(lambda a: a.batch_id and f"#{a.batch_id}", _("payment file")),
        "paid_on",
        "payment_reference",
        "exchange_rate",
        "fees",
        "report_status",
        "report_due_on",
        "report_submitted_at",
        "report_participants",
        "report_link",
        "is_duplicate",
        "is_at_risk",
    )

    def get_export_columns(self):
        # The editions' names, read once: not an edition and a programme per row.
        editions = _edition_names()
        columns = super().get_export_columns()
        edition = Column(lambda a: editions.get(a.edition_id), _("edition"))
        return [columns[0], edition, *columns[1:]]

    def get_export_queryset(self, queryset):
        """Without the bank details: an export of the list is not a payment file."""
        return (
            super()
            .get_export_queryset(queryset)
            .select_related(None)
            .select_related("decline_reason")
            .defer("account_holder", "bank_name", "account_number", "swift_bic")
        )

    list_per_page = 200
    search_fields = ("group_name", "email", "city")
    date_hierarchy = "created_at"
    actions = (
        approve,
        decline,
        verify_payees,
        make_payment_file,
        record_paid,
        accept_reports,
        request_report_changes,
    )
    inlines = (LightPhotoInline, LightHistoryInline)
    readonly_fields = ("edition", "email", "language", "created_at", *WORKFLOW_FIELDS)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "edition",
                    "email",
                    "language",
                    "group_name",
                    ("country", "city"),
                    "planned_action",
                    ("action_date", "expected_participants"),
                    ("amount", "currency"),
                    ("is_duplicate", "is_at_risk"),
                    ("status", "received_at", "decided_at", "decided_by", "decline_reason"),
                )
            },
        ),
        (
            _("Bank details"),
            {
                "fields": (
                    "account_holder",
                    "bank_name",
                    "account_number",
                    "swift_bic",
                    ("payee_verified_by", "payee_verified_at"),
                )
            },
        ),
        (
            _("Payment"),
            {
                "fields": (
                    "agreement_accepted_at",
                    "payment_status",
                    "batch",
                    ("paid_on", "payment_reference", "exchange_rate", "fees"),
                )
            },
        ),
        (
            _("Report"),
            {
                "fields": (
                    ("report_status", "report_due_on", "report_submitted_at"),
                    "report_text",
                    "report_participants",
                    "report_link",
                )
            },
        ),
    )

    def has_add_permission(self, request) -> bool:
        return False  # Applications come from the one-page form.

    @admin.display(description=_("bank details verified"), boolean=True)
    def payee_verified(self, obj) -> bool:
        return obj.is_payee_verified


class ReturnFileForm(forms.Form):
    file = forms.FileField(
        label=_("The bank's return file (CSV or XLSX)"),
        help_text=_(
            "Columns: reference, bank_reference, paid_on (YYYY-MM-DD), exchange_rate, fees."
        ),
    )


class PaymentBatchAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("__str__", "created_at", "created_by", "lines", "total", "currency", "links")
    list_select_related = ("edition__programme", "created_by", "layout")
    list_filter = ("edition__programme", ("edition", EditionListFilter))
    export_select_related = ("edition__programme", "created_by", "layout")
    export_columns = (
        Column("pk", _("ID")),
        Column("edition", _("edition")),
        "created_at",
        Column("created_by", _("made by")),
        Column("layout", _("layout")),
        "lines",
        "total",
        "currency",
    )
    readonly_fields = (
        "edition",
        "layout",
        "created_by",
        "created_at",
        "lines",
        "total",
        "currency",
        "links",
    )

    def has_add_permission(self, request) -> bool:
        return False  # Made by the "payment file" action of the small-grant applications.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file and bank's answer"))
    def links(self, obj) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:grants_paymentbatch_file", args=[obj.pk]),
            gettext("Download the file"),
            reverse("admin:grants_paymentbatch_return", args=[obj.pk]),
            gettext("Record the bank's return file"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/file/", wrap(self.file_view), name="grants_paymentbatch_file"),
            path("<int:pk>/return/", wrap(self.return_view), name="grants_paymentbatch_return"),
            *super().get_urls(),
        ]

    def _batch(self, request, pk: int) -> PaymentBatch:
        if not (is_secretariat(request.user) and self.has_view_permission(request)):
            raise PermissionDenied
        return get_object_or_404(PaymentBatch.objects.select_related("edition", "layout"), pk=pk)

    def file_view(self, request, pk: int):
        return _file_response(self._batch(request, pk))

    def return_view(self, request, pk: int):
        batch = self._batch(request, pk)
        form = ReturnFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = light_record_return_file(
                    batch=batch, upload=form.cleaned_data["file"], actor=request.user
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s payment recorded from the bank's file.",
                        "%(count)s payments recorded from the bank's file.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return redirect("admin:grants_paymentbatch_changelist")
        return TemplateResponse(
            request,
            "admin/grants/paymentbatch/return_file.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("The bank's return file of %(batch)s") % {"batch": batch},
                "batch": batch,
                "form": form,
                "opts": self.model._meta,
            },
        )


class PaymentFileLayoutAdmin(admin.ModelAdmin):
    list_display = ("name", "file_format", "columns", "is_default")


class LightPhotoAdmin(admin.ModelAdmin):
    """The photos of one-page reports, as listed under their application; the file itself is
    private and never linked from here."""

    list_display = ("__str__", "application", "has_consent", "uploaded_at", "file")
    list_select_related = ("application",)
    list_filter = ("has_consent",)
    fields = ("application", "caption", "has_consent", "uploaded_at", "file")
    readonly_fields = ("application", "uploaded_at", "file")

    def has_add_permission(self, request) -> bool:
        return False  # Sent with the one-page report.

    @admin.display(description=_("photo"))
    def file(self, obj) -> str:
        return _photo_link(obj)

    def get_urls(self):
        view = self.admin_site.admin_view(self.file_view)
        return [path("<int:pk>/file/", view, name="grants_lightphoto_file"), *super().get_urls()]

    def file_view(self, request, pk: int):
        """The private photo, for the secretariat only (never a MEDIA address)."""
        if not (is_secretariat(request.user) and self.has_view_permission(request)):
            raise PermissionDenied
        photo = get_object_or_404(LightPhoto, pk=pk)
        content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
        name = f"photo-{photo.pk}{mimetypes.guess_extension(content_type) or ''}"
        return private_file_response(
            photo.image, filename=name, content_type=content_type, inline=True
        )


class LightDeclineReasonAdmin(TabbedTranslationAdmin):
    list_display = ("text", "order", "is_active")


class LightStatusChangeAdmin(HistoryAdmin):
    parent = "application"
    status_choices = STATUSES
    list_select_related = ("application", "actor")
