from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programmes and editions")

    def ready(self) -> None:
        from core.staff import register_staff_access

        register_staff_access(self.label)
