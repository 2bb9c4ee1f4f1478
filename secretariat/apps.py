from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    """The secretariat's screens that are more than editing rows: what waits for it, the call's
    screening, reviewer assignment, ranking and decisions, the review of workplans and
    reports, the import of past editions, and personal data (exports, erasure, retention).
    The back office (the Django admin) links to them."""

    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self) -> None:
        from core.staff import register_staff_access
        from notifications.registry import ScheduledTask, register_jobs

        from .services.retention import RETENTION_JOB
        from .tasks import apply_retention

        register_staff_access(self.label)
        # Declined applications anonymised, old drafts deleted (settings RETENTION_*).
        register_jobs(
            ScheduledTask(RETENTION_JOB, _("Retention of personal data"), apply_retention)
        )
