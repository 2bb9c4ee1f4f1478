from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    """The secretariat's screens that are more than editing rows: what waits for it, the call's
    screening, reviewer assignment, ranking and decisions, and the review of workplans and
    reports. The back office (the Django admin) links to them."""

    name = "secretariat"
    verbose_name = _("Secretariat")

    def ready(self) -> None:
        from notifications.registry import register_kinds

        from .dossiers import DOSSIERS_READY

        # The email with the link to audit dossiers the worker built.
        register_kinds(DOSSIERS_READY)
