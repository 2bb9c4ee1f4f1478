from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a developer's machine (``manage.py load_demo``): never for a server."""

    name = "demo"
    verbose_name = _("Demo data")
