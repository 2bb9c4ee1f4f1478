from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Applications and grants")

    def ready(self) -> None:
        from programme.signals import invalidate_on_change

        from . import signals
        from .models import Initiative, LineOfAction

        invalidate_on_change(Initiative, LineOfAction, m2m=[Initiative.themes.through])
        signals.connect()
