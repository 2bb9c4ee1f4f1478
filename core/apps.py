from django.apps import AppConfig
from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: the workflow engine, money, private files, errors, admin bases and the
    staff groups. It holds no domain model and imports none of the project's other apps."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .browsers import note_login
        from .staff import sync_staff_groups

        # Remember the browsers people log in with (core.browsers).
        user_logged_in.connect(note_login, dispatch_uid="remember-login-browser")
        # Keep the staff groups' permissions in step with the models after every migrate
        # (and after the test database is flushed, which also sends post_migrate).
        post_migrate.connect(
            lambda **kwargs: sync_staff_groups(kwargs.get("apps") or global_apps),
            sender=self,
            weak=False,
            dispatch_uid="sync-staff-groups",
        )
