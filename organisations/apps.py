from django.apps import AppConfig
from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from programme.signals import invalidate_on_change

        from .groups import sync_staff_groups
        from .models import Organisation, OrganisationRelation

        invalidate_on_change(Organisation, OrganisationRelation)
        # Keep the staff groups' permissions in step with the models after every migrate
        # (and after the test database is flushed, which also sends post_migrate).
        post_migrate.connect(
            lambda **kwargs: sync_staff_groups(kwargs.get("apps") or global_apps),
            sender=self,
            weak=False,
            dispatch_uid="sync-staff-groups",
        )
