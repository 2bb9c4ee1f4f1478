"""Writes of the organisations app, one module per topic, exported here:

- ``registration``: an organisation registering with its first contact, the email confirmed;
- ``invitations``: inviting people to an organisation, and accepting;
- ``members``: members' roles, removing members, the profile members edit in the portal;
- ``public``: changes members propose to what the public reads, and the secretariat's decision;
- ``accounts``: the password-reset email;
- ``payees``: the bank details payments go to, each change verified by a second person.
"""

from .accounts import password_reset_send
from .invitations import colleague_invite, invitation_accept, invitation_create
from .members import (
    PROFILE_FIELDS,
    ProfileSaved,
    member_label,
    membership_remove,
    membership_set_role,
    organisation_profile_update,
)
from .payees import PAYEE_FIELDS, payee_details_save, payee_details_verify, payee_problems
from .public import (
    PUBLIC_FIELDS,
    pending_change,
    public_change_approve,
    public_change_reject,
    public_columns,
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
    "PAYEE_FIELDS",
    "PROFILE_FIELDS",
    "PUBLIC_FIELDS",
    "ProfileSaved",
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
    "pending_change",
    "public_change_approve",
    "public_change_reject",
    "public_columns",
    "payee_details_save",
    "payee_details_verify",
    "payee_problems",
    "registration_confirm",
    "registration_start",
]
