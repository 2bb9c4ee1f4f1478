from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    """The secretariat's screens that are more than editing rows: what waits for it, the call's
    screening, reviewer assignment, ranking and decisions, and the review of workplans and
    reports. The back office (the Django admin) links to them."""

    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self) -> None:
        from notifications.registry import ScheduledTask, register_jobs, register_kinds

        from .dossiers import CLEAN_JOB, DOSSIERS_READY
        from .tasks import delete_old_dossiers

        # The email with the link to audit dossiers the worker built, and the daily job that
        # deletes them a week later.
        register_kinds(DOSSIERS_READY)
        register_jobs(
            ScheduledTask(
                CLEAN_JOB, _("Delete the audit dossiers built a week ago"), delete_old_dossiers
            )
        )
