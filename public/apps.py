from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: every page a visitor reads without logging in, its page cache, its
    sitemap and the open-data files. It reads across the domain apps through their selectors."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from notifications.registry import ScheduledTask, register_jobs

        from .opendata.files import JOB
        from .signals import connect
        from .tasks import build_open_data

        connect()
        register_jobs(ScheduledTask(JOB, _("Open-data files (360Giving, IATI)"), build_open_data))
