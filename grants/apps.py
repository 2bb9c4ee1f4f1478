from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Applications and grants")

    def ready(self) -> None:
        from core.staff import register_staff_access
        from notifications.registry import ScheduledTask, register_jobs, register_kinds
        from programme.hooks import before_step
        from programme.workflow import EditionStatus

        from . import signals
        from .notifications import KINDS
        from .selectors.editions import running_initiatives, undecided_applications
        from .tasks import send_light_report_reminders

        register_kinds(*KINDS)
        register_jobs(
            ScheduledTask(
                "light_report_reminders",
                _("Small grants: one-page report reminders (due in 7 days, overdue)"),
                send_light_report_reminders,
            )
        )
        # An edition runs once its applications are decided, and closes once its grants are.
        before_step(EditionStatus.RUNNING, undecided_applications)
        before_step(EditionStatus.CLOSED, running_initiatives)
        # The panel reads the applications it was given and writes its reviews.
        register_staff_access(
            self.label,
            reviewer=[
                "view_application",
                "view_reviewassignment",
                "add_review",
                "change_review",
                "view_review",
                "add_reviewscore",
                "change_reviewscore",
                "view_reviewscore",
            ],
        )
        signals.connect()
