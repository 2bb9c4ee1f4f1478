"""The notifications the organisations app sends, registered with the notifications app when
the app loads (``OrganisationsConfig.ready``). Templates: ``templates/emails/<key>/``.

The links of the invitation, the confirmation and the password reset hold a secret (a one-time
token), so the outbox does not show them."""

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
REGISTRATION_ACCOUNT_EXISTS = NotificationKind(
    "registration_account_exists",
    _("Registration with an address that has an account"),
    ("organisation",),
)
ORGANISATION_NAMESAKE = NotificationKind(
    "organisation_namesake",
    _("New organisation with the name of another (secretariat)"),
    ("organisation", "count"),
)
PASSWORD_RESET = NotificationKind("password_reset", _("Password reset"), (), sensitive=True)
# Another member of the secretariat reset a lost two-factor device (organisations.twofactor).
TWOFACTOR_RESET = NotificationKind(
    "twofactor_reset", _("Two-factor authentication reset"), ("reset_by",)
)

# A member proposed changes to what the public reads of the organisation (once per proposal).
PUBLIC_CHANGE_PROPOSED = NotificationKind(
    "public_change_proposed",
    _("Changes to a public profile to approve (secretariat)"),
    ("organisation",),
)
PUBLIC_CHANGE_APPROVED = NotificationKind(
    "public_change_approved", _("Changes to the public profile approved"), ("organisation",)
)
PUBLIC_CHANGE_REJECTED = NotificationKind(
    "public_change_rejected",
    _("Changes to the public profile not approved"),
    ("organisation", "comment"),
)
# Bank details entered or changed in the portal: the secretariat verifies them (four eyes).
PAYEE_DETAILS_CHANGED = NotificationKind(
    "payee_details_changed",
    _("Bank details changed (secretariat)"),
    ("organisation", "changed_by"),
)
PAYEE_DETAILS_VERIFIED = NotificationKind(
    "payee_details_verified", _("Bank details verified"), ("organisation",)
)

KINDS = (
    INVITATION,
    REGISTRATION_CONFIRM,
    REGISTRATION_ACCOUNT_EXISTS,
    ORGANISATION_NAMESAKE,
    PASSWORD_RESET,
    TWOFACTOR_RESET,
    PUBLIC_CHANGE_PROPOSED,
    PUBLIC_CHANGE_APPROVED,
    PUBLIC_CHANGE_REJECTED,
    PAYEE_DETAILS_CHANGED,
    PAYEE_DETAILS_VERIFIED,
)
