"""The notifications the organisations app sends, registered with the notifications app when
the app loads (``OrganisationsConfig.ready``). Templates: ``templates/emails/<key>/``.

Their links hold a secret (a one-time token), so the outbox does not show them."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NotificationKind

INVITATION = NotificationKind(
    "invitation",
    _("Invitation to join an organisation"),
    ("organisation", "inviter", "expires_on"),
    dates=("expires_on",),
    sensitive=True,
)
REGISTRATION_CONFIRM = NotificationKind(
    "registration_confirm",
    _("Email address to confirm (registration)"),
    ("name", "organisation", "valid_days"),
    sensitive=True,
)
PASSWORD_RESET = NotificationKind("password_reset", _("Password reset"), (), sensitive=True)

KINDS = (INVITATION, REGISTRATION_CONFIRM, PASSWORD_RESET)
