from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The signed-in portal: grantees keep their workplan and reports, applicants apply,
    reviewers review, and everyone looks after their account. It reads across the domain apps
    and writes through their services."""

    name = "portal"
    verbose_name = _("Portal")
