"""Back office for background work: the secretariat's schedule of daily jobs, and sending a
failed notification again (an action of the notifications' list, see admin.py)."""

from __future__ import annotations

import zoneinfo

from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Notification, ScheduledJob
from .notifications import notification_resend
from .schedules import next_run, schedule_run_now


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """When the daily jobs run. Celery beat ticks every few minutes and starts each enabled
    job once a day, as soon as its time of day has come in its time zone."""

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
            return ("job", *self.readonly_fields)
        return self.readonly_fields

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


@admin.action(description=_("Send the selected failed notifications again"))
def send_again(modeladmin, request, queryset):
    if not request.user.has_perm("organisations.change_notification"):
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
