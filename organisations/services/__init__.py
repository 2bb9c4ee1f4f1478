"""Writes of the organisations app, one module per topic, exported here:

- ``registration``: an organisation registering with its first contact, the email confirmed;
- ``invitations``: inviting people to an organisation, and accepting;
- ``members``: members' roles, removing members, the profile members edit in the portal;
- ``accounts``: the password-reset email.
"""

from .accounts import password_reset_send
from .invitations import colleague_invite, invitation_accept, invitation_create
from .members import (
    PROFILE_FIELDS,
    member_label,
    membership_remove,
    membership_set_role,
    organisation_profile_update,
)
from .registration import (
    REGISTRATION_VALID_DAYS,
    Contact,
    OrganisationProfile,
    confirmation_path,
    confirmation_tokens,
    organisation_create,
    registration_confirm,
    registration_start,
)

__all__ = [
    "PROFILE_FIELDS",
    "REGISTRATION_VALID_DAYS",
    "Contact",
    "OrganisationProfile",
    "colleague_invite",
    "invitation_accept",
    "invitation_create",
    "confirmation_path",
    "confirmation_tokens",
    "member_label",
    "membership_remove",
    "membership_set_role",
    "organisation_create",
    "organisation_profile_update",
    "password_reset_send",
    "registration_confirm",
    "registration_start",
]
