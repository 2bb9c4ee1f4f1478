from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Emails to people (the outbox) and the daily jobs. It knows no domain: each app registers
    its notification kinds and its daily jobs when it loads (``notifications.registry``)."""

    name = "notifications"
    verbose_name = _("Notifications and scheduled jobs")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.staff import register_staff_access

        from .registry import register_kinds
        from .services import schedules_ensure
        from .services.notes import STAFF_NOTE_MENTION

        # The secretariat reads the outbox, sends a failed email again and sets when each
        # daily job runs.
        register_staff_access(self.label)
        # The email to the members of the secretariat a staff note names.
        register_kinds(STAFF_NOTE_MENTION)
        # Every registered job has its row in the schedule (after a flush in tests, too).
        post_migrate.connect(
            lambda **kwargs: schedules_ensure(kwargs.get("apps")),
            sender=self,
            weak=False,
            dispatch_uid="ensure-scheduled-jobs",
        )
