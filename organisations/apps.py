from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from core.staff import register_staff_access
        from notifications.registry import register_kinds

        from .notifications import KINDS

        register_kinds(*KINDS)
        # The secretariat manages organisations and their people, but not the accounts in full:
        # only superusers create staff or grant single permissions (see UserAdmin).
        register_staff_access(
            self.label, exclude_models=("user",), secretariat=("view_user", "change_user")
        )
