"""The notifications the secretariat app sends (registered in ``SecretariatConfig.ready``).
Templates: ``templates/emails/<key>/``."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind

EXPORT_READY = NotificationKind(
    "export_ready",
    _("Export ready"),
    ("list", "rows", "file", "expires_on"),
    dates=("expires_on",),
)

KINDS = (EXPORT_READY,)
