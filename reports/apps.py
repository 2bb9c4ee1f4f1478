from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Progress reports")

    def ready(self) -> None:
        from core.staff import register_staff_access
        from grants.hooks import final_report_check, on_award, on_extension
        from notifications.registry import ScheduledTask, register_jobs, register_kinds

        from .notifications import KINDS
        from .selectors import final_report_is_accepted
        from .services import reports_extend, schedule_reports
        from .services.reminders import JOB
        from .tasks import send_report_reminders

        register_kinds(*KINDS)
        register_jobs(
            ScheduledTask(
                JOB,
                _("Report reminders (due in 14 days, in 3 days, overdue)"),
                send_report_reminders,
            )
        )
        register_staff_access(self.label)
        # Awarding a grant schedules the reports the initiative owes.
        on_award(schedule_reports)
        # A no-cost extension moves the due dates of the reports not submitted yet.
        on_extension(reports_extend)
        # The system completes a grant once its final report is accepted (and it is paid).
        final_report_check(final_report_is_accepted)
