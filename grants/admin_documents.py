"""The applicants' documents in the back office: downloaded only through the checked view
(the stored file lives outside the public media folder and is never linked directly)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from programme.admin import EditionListFilter

from .files import checked_upload
from .models import ApplicationAttachment


class ApplicationAttachmentInline(admin.TabularInline):
    """The applicant's documents, downloaded through the checked view (never a media URL)."""

    model = ApplicationAttachment
    fields = ("download", "description", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("documents")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # applicants upload their documents in the portal

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=gettext_lazy("file"))
    def download(self, obj) -> str:
        url = reverse(
            "calls:attachment", kwargs={"pk": obj.application_id, "attachment_pk": obj.pk}
        )
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class ApplicationAttachmentForm(forms.ModelForm):
    """The secretariat may add a document it received another way; it is checked like the
    applicants' (type by content, size)."""

    class Meta:
        model = ApplicationAttachment
        fields = ("application", "file", "description")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):
            checked = checked_upload(upload)
            if checked.error:
                raise forms.ValidationError(checked.error)
            self.instance.content_type = checked.content_type
            self.instance.original_name = upload.name[:255]
            self.instance.size = upload.size
        return upload


@admin.register(ApplicationAttachment)
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

    @admin.display(description=gettext_lazy("file"))
    def download(self, obj) -> str:
        return ApplicationAttachmentInline.download(None, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
