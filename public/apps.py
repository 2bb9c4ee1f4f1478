from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public site: every page a visitor reads without logging in, its page cache and its
    sitemap. It reads across the domain apps through their selectors."""

    name = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from .signals import connect

        connect()
