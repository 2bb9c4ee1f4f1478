"""Writes of the organisations app, one module per topic, exported here:

- ``registration``: an organisation registering with its first contact, the email confirmed;
- ``invitations``: inviting people to an organisation, and accepting;
- ``members``: removing members, the profile members edit in the portal;
- ``accounts``: the password-reset email;
- ``payees``: the bank details payments go to, each change verified by a second person.
"""

from .accounts import password_reset_send
from .invitations import colleague_invite, invitation_accept, invitation_create
from .members import PROFILE_FIELDS, member_label, membership_remove, organisation_profile_update
from .payees import PAYEE_FIELDS, payee_details_save, payee_details_verify, payee_problems
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
    "organisation_create",
    "organisation_profile_update",
    "password_reset_send",
    "payee_details_save",
    "payee_details_verify",
    "payee_problems",
    "registration_confirm",
    "registration_start",
]
