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
        from core.exports import register_async_runner
        from core.staff import register_staff_access
        from notifications.registry import ScheduledTask, register_jobs, register_kinds

        from . import dashboard_cache
        from .dossiers import CLEAN_JOB, DOSSIERS_READY
        from .exports import CLEAR_EXPORTS_JOB, export_request
        from .notifications import KINDS
        from .services.retention import RETENTION_JOB
        from .tasks import apply_retention, clear_exports, delete_old_dossiers

        register_staff_access(self.label)
        dashboard_cache.connect()
        register_kinds(*KINDS, DOSSIERS_READY)
        register_async_runner(export_request)
        # The audit dossiers the worker built are deleted a week later, an export's file once it
        # can no longer be downloaded; declined applications anonymised, old drafts deleted
        # (settings RETENTION_*).
        register_jobs(
            ScheduledTask(
                CLEAN_JOB, _("Delete the audit dossiers built a week ago"), delete_old_dossiers
            ),
            ScheduledTask(CLEAR_EXPORTS_JOB, _("Delete the expired exports"), clear_exports),
            ScheduledTask(RETENTION_JOB, _("Retention of personal data"), apply_retention),
        )
