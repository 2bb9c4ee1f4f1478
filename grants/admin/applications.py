"""Back office of applications: the list with its review progress, the applicant's answers,
documents, reviewers and status history, and the actions that lead to the secretariat's call
pages (screening, requests for more information, reviewer assignment, decisions).

The call pages themselves live with the secretariat's screens (``secretariat``): the actions
and the links here only send the selected applications there.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.admin import (
    STATUS_FIELDS,
    CountriesFilter,
    HistoryAdmin,
    HistoryInline,
    LongListMixin,
    SearchableCountriesMixin,
    SelectRelatedMixin,
    VersionedAdminMixin,
    money_column,
)
from core.errors import DomainError
from core.exports import Column, ExportMixin
from core.files import check_upload
from core.pdf import pdf_response
from notifications.admin import StaffNotesMixin
from organisations.selectors import is_secretariat
from programme.admin import EditionChoicesMixin, EditionListFilter

from ..models import ApplicationAttachment, ApplicationStatusChange, ReviewAssignment
from ..printouts import application_filename, application_pdf
from ..selectors.ranking import application_scores
from ..services import application_screen, application_shortlist, recuse_members
from ..workflow import IN_REVIEW, ApplicationStatus
from .review import ReviewAssignmentInline, ReviewerScopedMixin

A = ApplicationStatus


def document_link(obj: ApplicationAttachment) -> str:
    """A link to an applicant's document through the checked view, never to the stored file."""
    url = reverse("calls:attachment", kwargs={"pk": obj.application_id, "attachment_pk": obj.pk})
    return format_html('<a href="{}">{}</a>', url, obj.original_name)


class ApplicationHistoryInline(HistoryInline):
    model = ApplicationStatusChange
    status_choices = {"application": ApplicationStatus}


class ApplicationAttachmentInline(admin.TabularInline):
    """The applicant's documents, downloaded through the checked view (never a media URL)."""

    model = ApplicationAttachment
    fields = ("download", "description", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("documents")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # applicants upload their documents in the portal

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj) -> str:
        return document_link(obj)


class ApplicationAdmin(
    LongListMixin,
    StaffNotesMixin,
    ExportMixin,
    SelectRelatedMixin,
    ReviewerScopedMixin,
    VersionedAdminMixin,
    EditionChoicesMixin,
    SearchableCountriesMixin,
    admin.ModelAdmin,
):
    reviewer_path = "assignments__reviewer"
    list_display = (
        "title",
        "organisation",
        "edition",
        "status",
        "amount",
        "language",
        "submitted_at",
        "reviews",
    )
    list_filter = (
        "edition__programme",
        ("edition", EditionListFilter),
        "status",
        ("countries", CountriesFilter),
        "themes",
        "language",
        "is_at_risk_requested",
    )
    list_select_related = ("organisation", "edition__programme")
    export_columns = (
        Column("pk", _("ID")),
        "title",
        "organisation.name",
        Column("edition", _("edition")),
        "status",
        "countries",
        "places",
        "requested_amount",
        "currency",
        "language",
        "submitted_at",
        "decided_at",
        Column(lambda a: a.reviews_submitted, _("reviews submitted")),
        Column(lambda a: a.score and round(a.score, 2), _("score (weighted, average)")),
    )

    def get_export_queryset(self, queryset):
        """With each application's submitted reviews and its score (as the ranking counts)."""
        return application_scores(super().get_export_queryset(queryset))

    search_fields = ("title", "organisation__name", "organisation__acronym", "places")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("organisation", "created_by")
    filter_horizontal = ("themes",)
    amount = money_column("requested_amount", "currency", _("requested amount"))
    readonly_fields = (
        *STATUS_FIELDS,
        "is_at_risk_requested",
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
        # The applicant's request not to be named: the initiative starts at risk on award.
        (_("Safety"), {"fields": ("is_at_risk_requested",)}),
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
    inlines = (ApplicationAttachmentInline, ReviewAssignmentInline, ApplicationHistoryInline)
    # The applicant's page is for the organisation's members: the secretariat reads it here.
    view_on_site = False
    actions = ["screen_eligible", "screen", "more_info", "shortlist", "assign", "decide"]
    change_form_template = "admin/grants/application/change_form.html"
    change_list_template = "admin/grants/application/change_list.html"
    # The secretariat may mark a note for the application's reviewers (their review page).
    notes_for_reviewers = True

    # The list shows its count once (no second count of the whole table).
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A stable order for the pages of the list and of the autocomplete.
            .order_by("-created_at", "-pk")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="grants_application_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk: int):
        """The application as a PDF, in the reader's language; its reviews for the secretariat
        only (a reviewer reaches only the applications given to them, without the others'
        reviews)."""
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        data = application_pdf(
            application,
            language=get_language(),
            with_reviews=is_secretariat(request.user),
        )
        return pdf_response(data, filename=application_filename(application))

    def get_changelist(self, request, **kwargs):
        return ReviewCountsChangeList

    @staticmethod
    def review_counts(queryset):
        """Each application's active and submitted reviews, as subqueries: the list's count,
        dates and filters do not join the reviews."""

        def count(**conditions):
            return Coalesce(
                Subquery(
                    ReviewAssignment.objects.filter(
                        application=OuterRef("pk"), is_recused=False, **conditions
                    )
                    .order_by()
                    .values("application")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return queryset.annotate(
            active_reviews=count(), submitted_reviews=count(review__submitted_at__isnull=False)
        )

    @admin.display(description=_("reviews"))
    def reviews(self, obj) -> str:
        if not getattr(obj, "active_reviews", 0):
            return "—"
        return f"{obj.submitted_reviews} / {obj.active_reviews}"

    def get_inlines(self, request, obj):
        # Reviewers must not see who else reviews the application, nor its documents here.
        return () if self.is_scoped(request) else self.inlines

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReviewAssignment:
            return super().save_formset(request, form, formset, change)
        for assignment in formset.save(commit=False):
            if assignment.pk is None:
                assignment.assigned_by = request.user
            assignment.save()
        for assignment in formset.deleted_objects:
            assignment.delete()
        formset.save_m2m()
        # A reviewer who belongs to the applicant organisation cannot review it.
        if form.instance.pk and recuse_members(application=form.instance):
            messages.warning(
                request,
                gettext("A reviewer who is a member of the applicant organisation was recused."),
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The object the change view loaded, not a second query for the workflow links.
        context["workflow_links"] = (obj is not None and is_secretariat(request.user)) and {
            "screen": obj.status == A.SUBMITTED,
            "more_info": obj.status in (A.SUBMITTED, A.UNDER_REVIEW),
            "assign": obj.status in IN_REVIEW,
            "decide": obj.status in IN_REVIEW,
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- actions: taken here, or on the secretariat's call pages -----------------------------

    def _each(self, request, queryset, step, done: str) -> None:
        """Take ``step`` for each application; say how many were done and which were refused."""
        count, refused = 0, []
        for application in queryset.order_by("pk"):
            try:
                step(application)
                count += 1
            except DomainError as error:
                refused.append(f"{application.display_title}: {error.message}")
        if count:
            messages.success(request, done % {"count": count})
        for problem in refused:
            messages.error(request, problem)

    @admin.action(permissions=["change"], description=_("Screen: eligible, send to review"))
    def screen_eligible(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: application_screen(
                application=application, actor=request.user, is_eligible=True
            ),
            gettext("%(count)s application(s) sent to review."),
        )

    @admin.action(permissions=["change"], description=_("Shortlist"))
    def shortlist(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: application_shortlist(application=application, actor=request.user),
            gettext("%(count)s application(s) shortlisted."),
        )

    def _to_page(self, name: str, queryset) -> HttpResponseRedirect:
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse(f'secretariat:{name}')}?ids={ids}")

    @admin.action(permissions=["change"], description=_("Screen: not eligible (with a reason)…"))
    def screen(self, request, queryset):
        return self._to_page("screen", queryset)

    @admin.action(permissions=["change"], description=_("Request more information…"))
    def more_info(self, request, queryset):
        return self._to_page("more_info", queryset)

    @admin.action(permissions=["change"], description=_("Assign reviewers…"))
    def assign(self, request, queryset):
        return self._to_page("assign", queryset)

    @admin.action(permissions=["change"], description=_("Decide (approve or decline)…"))
    def decide(self, request, queryset):
        return self._to_page("decide", queryset)


class ReviewCountsChangeList(ChangeList):
    """The application list, with each row's review counts (``ApplicationAdmin.review_counts``)
    computed only for the rows of the page."""

    def get_results(self, request):
        super().get_results(request)
        ids = [application.pk for application in self.result_list]
        counts = {
            row["pk"]: row
            for row in ApplicationAdmin.review_counts(
                self.model._default_manager.filter(pk__in=ids)
            ).values("pk", "active_reviews", "submitted_reviews")
        }
        for application in self.result_list:
            application.active_reviews = counts[application.pk]["active_reviews"]
            application.submitted_reviews = counts[application.pk]["submitted_reviews"]


class ApplicationStatusChangeAdmin(HistoryAdmin):
    parent = "application"
    status_choices = {"application": ApplicationStatus}
    list_select_related = ("application__organisation", "actor")
    list_filter = (("application__edition", EditionListFilter), "role")


class ApplicationAttachmentForm(forms.ModelForm):
    """The secretariat may add a document it received another way; it is checked like the
    applicants' (``core.files.check_upload``) and stored as checked."""

    class Meta:
        model = ApplicationAttachment
        fields = ("application", "file", "description")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and self.instance.pk is None:
            try:
                self.checked = check_upload(upload)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
        return upload


class ApplicationAttachmentAdmin(admin.ModelAdmin):
    form = ApplicationAttachmentForm
    list_display = ("original_name", "application", "content_type", "size", "uploaded_at")
    list_select_related = ("application__organisation",)
    list_filter = (("application__edition", EditionListFilter), "content_type")
    search_fields = ("original_name", "description", "application__title")
    autocomplete_fields = ("application",)
    date_hierarchy = "uploaded_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("application", "file", "description")
        return ("application", "download", "description", "content_type", "size", "uploaded_by")

    def get_readonly_fields(self, request, obj=None):
        # The stored file is never linked directly: it lives outside the public media folder.
        return () if obj is None else ("download", "content_type", "size", "uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj) -> str:
        return document_link(obj)

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked", None)
        if not change and checked is not None:
            obj.original_name = checked.name
            obj.content_type = checked.content_type
            obj.size = checked.size
            obj.uploaded_by = request.user
            checked.store(obj.file)
        super().save_model(request, obj, form, change)
