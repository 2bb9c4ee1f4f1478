from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programmes and editions")

    def ready(self) -> None:
        from core.staff import register_staff_access
        from notifications.registry import ScheduledTask, register_jobs, register_sender

        from . import notifications
        from .services import CLOSE_CALLS_JOB
        from .tasks import close_due_calls

        register_staff_access(self.label)
        register_sender(notifications.PREFIX, notifications.resolve)
        # At its deadline a call moves to review, by the system.
        register_jobs(
            ScheduledTask(
                CLOSE_CALLS_JOB, _("Close the calls past their deadline"), close_due_calls
            )
        )
