"""Back office of the grant agreements: every version with its text, PDF, signature and
history, read-only; the secretariat issues a version from the list of initiatives ("Issue the
grant agreement") and countersigns a signed one here ("Countersign")."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, HistoryInline, run_for_each, translated
from core.files import private_file_response
from organisations.selectors import organisation_signatories
from programme.admin import EditionListFilter

from ..models import Agreement, AgreementStatusChange
from ..services import agreement_countersign, agreement_issue
from ..workflow import AgreementStatus


@admin.action(description=_("Issue the grant agreement (a new version replaces one not signed)"))
def issue_agreement(modeladmin, request, queryset):
    """From the list of initiatives: a new version of each one's agreement, for its
    signatories; the secretariat is warned where nobody can sign yet."""

    def step(initiative):
        agreement_issue(initiative=initiative, actor=request.user)
        if not organisation_signatories(initiative.lead_organisation).exists():
            modeladmin.message_user(
                request,
                gettext(
                    "%(organisation)s has no signatory yet: its administrator gives the role "
                    "in the portal's members page, and the agreement waits there."
                )
                % {"organisation": initiative.lead_organisation.name},
                messages.WARNING,
            )

    run_for_each(
        modeladmin,
        request,
        queryset.select_related("lead_organisation"),
        step,
        gettext("Agreements issued: %(count)s."),
    )


@admin.action(description=_("Countersign the selected agreements"))
def countersign(modeladmin, request, queryset):
    run_for_each(
        modeladmin,
        request,
        queryset.select_related("initiative__lead_organisation"),
        lambda agreement: agreement_countersign(agreement=agreement, actor=request.user),
        gettext("Agreements countersigned: %(count)s."),
    )


class AgreementHistoryInline(HistoryInline):
    model = AgreementStatusChange
    status_choices = {"agreement": AgreementStatus}


class AgreementInline(admin.TabularInline):
    """The versions under their initiative, each linked to its page."""

    model = Agreement
    fields = ("version", "language", "status", "created_at", "signed_at", "countersigned_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AgreementAdmin(admin.ModelAdmin):
    """Read-only: versions are made by issuing, signed in the portal, countersigned by the
    action; nothing of them is typed here."""

    list_display = (
        "initiative",
        "version",
        "language",
        "status",
        "created_at",
        "signed_at",
        "countersigned_at",
    )
    list_filter = ("status", ("initiative__edition", EditionListFilter), "language")
    list_select_related = ("initiative",)
    search_fields = ("signer_name", *(f"initiative__{f}" for f in translated("title")))
    date_hierarchy = "created_at"
    actions = (countersign,)
    inlines = (AgreementHistoryInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "initiative",
                    "version",
                    "language",
                    "status",
                    "title",
                    "created_at",
                    "created_by",
                    "pdf_link",
                    "pdf_sha256",
                )
            },
        ),
        (
            _("The organisation's signature"),
            {
                "fields": (
                    "signature_method",
                    "signed_at",
                    "signed_by",
                    "signer_name",
                    "signer_ip",
                    "signed_sha256",
                    "scan_link",
                )
            },
        ),
        (_("Countersignature"), {"fields": ("countersigned_at", "countersigned_by")}),
        (_("Text"), {"fields": ("document",)}),
    )
    readonly_fields = ("pdf_link", "scan_link", "document")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", view(self.pdf_view), name="grants_agreement_pdf"),
            path("<int:pk>/scan/", view(self.scan_view), name="grants_agreement_scan"),
            *super().get_urls(),
        ]

    def _agreement(self, request, pk: int) -> Agreement:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Agreement, pk=pk)

    def pdf_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        return private_file_response(
            agreement.pdf, filename=agreement.filename, content_type="application/pdf"
        )

    def scan_view(self, request, pk: int):
        agreement = self._agreement(request, pk)
        if not agreement.signed_scan:
            raise Http404
        return private_file_response(
            agreement.signed_scan,
            filename=agreement.signed_scan_name or "signed-agreement",
            content_type=agreement.signed_scan_type or "application/octet-stream",
        )

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj) -> str:
        if obj is None or not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:grants_agreement_pdf", kwargs={"pk": obj.pk}),
            obj.filename,
        )

    @admin.display(description=_("signed scan"))
    def scan_link(self, obj) -> str:
        if obj is None or not obj.signed_scan:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:grants_agreement_scan", kwargs={"pk": obj.pk}),
            obj.signed_scan_name or gettext("signed scan"),
        )

    @admin.display(description=_("text as issued"))
    def document(self, obj) -> str:
        # Rendered by grants.documents from our template, every value escaped.
        return mark_safe(obj.body_html) if obj is not None else ""  # noqa: S308


class AgreementStatusChangeAdmin(HistoryAdmin):
    parent = "agreement"
    status_choices = {"agreement": AgreementStatus}
    list_select_related = ("agreement__initiative", "actor")
    list_filter = (("agreement__initiative__edition", EditionListFilter), "role")
