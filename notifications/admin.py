"""Back office of background work: the outbox of notifications (what was sent to whom, what
failed, sending a failed one again) and the schedule of the daily jobs; and the staff notes'
thread that the domain apps' change pages show (``StaffNotesMixin``)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.errors import DomainError
from core.staff import is_secretariat

from .forms import StaffNoteForm
from .models import Notification, ScheduledJob, StaffNote
from .registry import KINDS, job_choices, kind_label
from .selectors import staff_notes
from .services import notification_resend, schedule_run_now, staff_note_add
from .services.schedules import next_run


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(((key, str(kind.label)) for key, kind in KINDS.items()), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.action(description=_("Send the selected failed notifications again"))
def send_again(modeladmin, request, queryset):
    if not request.user.has_perm("notifications.change_notification"):
        modeladmin.message_user(
            request, gettext("You may not send notifications again."), messages.ERROR
        )
        return
    count = 0
    for notification in queryset.filter(status=Notification.Status.FAILED):
        notification_resend(notification=notification)
        count += 1
    if count:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
    else:
        modeladmin.message_user(
            request, gettext("Only failed notifications can be sent again."), messages.WARNING
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: what was sent to whom, when, and what failed. The link of a notification
    that carries a secret (an invitation, a password reset) is not shown."""

    actions = [send_again]

    list_display = ["created_at", "kind_name", "email", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", KindFilter, "language"]
    search_fields = ["email", "key", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [
        "kind_name",
        "key",
        "recipient",
        "email",
        "language",
        "subject",
        "link",
        "context",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, obj) -> str:
        return kind_label(obj.kind)

    @admin.display(description=_("link"))
    def link(self, obj) -> str:
        kind = KINDS.get(obj.kind)
        if kind is not None and kind.sensitive and obj.path:
            return gettext("(hidden: the link gives access to an account)")
        return obj.path


class ScheduledJobForm(forms.ModelForm):
    """The jobs offered are those the apps registered."""

    class Meta:
        model = ScheduledJob
        fields = ["job", "is_enabled", "run_at", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "job" in self.fields:
            self.fields["job"] = forms.ChoiceField(
                label=ScheduledJob._meta.get_field("job").verbose_name, choices=job_choices()
            )


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """When the daily jobs run. Celery beat ticks every few minutes and starts each enabled
    job once a day, as soon as its time of day has come in its time zone."""

    form = ScheduledJobForm
    list_display = (
        "__str__",
        "is_enabled",
        "run_at",
        "time_zone",
        "next_run",
        "last_run_at",
        "last_finished_at",
        "last_result",
    )
    fields = (
        "job",
        "is_enabled",
        "run_at",
        "time_zone",
        "next_run",
        "last_run_on",
        "last_run_at",
        "last_finished_at",
        "last_result",
    )
    readonly_fields = ("next_run", "last_run_on", "last_run_at", "last_finished_at", "last_result")
    actions = ["run_now"]

    def get_readonly_fields(self, request, obj=None):
        # Which job a row starts is fixed once it exists; its timing is what staff edit.
        if obj is not None:
            return ("job_name", *self.readonly_fields)
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is not None:
            return ("job_name", *self.fields[1:])
        return self.fields

    @admin.display(description=_("job"))
    def job_name(self, job: ScheduledJob) -> str:
        return str(job)

    @admin.display(description=_("next run"))
    def next_run(self, job: ScheduledJob) -> str:
        if job.pk is None:
            return "–"
        try:
            moment = next_run(job)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return "–"
        if moment is None:
            return gettext("Not scheduled: the job is switched off.")
        # Shown in the job's own time zone, as the secretariat set it.
        return f"{date_format(moment, 'DATETIME_FORMAT')} ({job.time_zone})"

    def has_delete_permission(self, request, obj=None) -> bool:
        # Switch a job off rather than lose its history of runs.
        return False

    @admin.action(description=_("Run the selected jobs now"), permissions=["change"])
    def run_now(self, request, queryset):
        for job in queryset:
            schedule_run_now(job=job)
        self.message_user(
            request,
            ngettext(
                "%(count)d job started. What already went out today does not go out again.",
                "%(count)d jobs started. What already went out today does not go out again.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


class StaffNotesMixin:
    """The secretariat's internal thread under an object's change page: the notes, oldest
    first, with their authors and times, and a form to add one (``staff_note_add``). Only the
    secretariat sees either; ``notes_for_reviewers`` offers the "for reviewers" box (the
    application's). The change form template includes ``admin/includes/staff_notes.html``."""

    notes_for_reviewers = False

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/notes/",
                self.admin_site.admin_view(self.staff_note_view),
                name=f"{meta.app_label}_{meta.model_name}_notes",
            ),
            *super().get_urls(),
        ]

    def _notes_context(self, request, obj, form=None) -> dict:
        if obj is None or not is_secretariat(request.user):
            return {}
        meta = self.model._meta
        return {
            "staff_notes": list(staff_notes(obj)),
            "staff_note_form": form or StaffNoteForm(with_reviewers=self.notes_for_reviewers),
            "staff_notes_url": reverse(
                f"admin:{meta.app_label}_{meta.model_name}_notes", args=[obj.pk]
            ),
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self._notes_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def staff_note_view(self, request, object_id: str):
        """Add a note (POST); a note refused comes back on a page of its own, as typed."""
        if not is_secretariat(request.user):
            raise Http404
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        meta = self.model._meta
        change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(f"{change_url}#staff-notes")
        form = StaffNoteForm(request.POST, with_reviewers=self.notes_for_reviewers)
        if form.is_valid():
            try:
                staff_note_add(
                    subject=obj,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    notify_people=list(form.cleaned_data["notify_people"]),
                    is_for_reviewers=form.cleaned_data.get("is_for_reviewers", False),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("The note is added."))
                return HttpResponseRedirect(f"{change_url}#staff-notes")
        return TemplateResponse(
            request,
            "admin/staff_notes.html",
            {
                **self.admin_site.each_context(request),
                "opts": meta,
                "original": obj,
                "title": gettext("Staff notes on %(object)s") % {"object": obj},
                "change_url": change_url,
                **self._notes_context(request, obj, form),
            },
            status=400,
        )


@admin.register(StaffNote)
class StaffNoteAdmin(ReadOnlyAdmin):
    """Every staff note, newest first, to find one again (each is written under its object's
    page, never here)."""

    list_display = ("created_at", "author", "subject", "is_for_reviewers", "excerpt")
    list_filter = ("content_type", "is_for_reviewers")
    list_select_related = ("author", "content_type")
    search_fields = ("text", "author__email", "author__full_name")
    date_hierarchy = "created_at"
    fields = ("created_at", "author", "subject", "is_for_reviewers", "text", "mentioned")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")

    @admin.display(description=_("about"))
    def subject(self, obj) -> str:
        meta = obj.content_type.model_class()._meta if obj.content_type.model_class() else None
        if meta is None:
            return str(obj.content_type)
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.object_id])
        return format_html(
            '<a href="{}#staff-notes">{} {}</a>', url, meta.verbose_name, obj.object_id
        )

    @admin.display(description=_("note"))
    def excerpt(self, obj) -> str:
        return obj.text if len(obj.text) <= 120 else obj.text[:120] + "…"
