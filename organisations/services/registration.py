"""Registering an organisation and its first contact, with the contact's email confirmed.

Registration creates the organisation, an inactive account for the contact and their
administrator membership at once, then emails a link through the notifications app, like every
email. Following the link within ``REGISTRATION_VALID_DAYS`` activates the account; it works
once, and never for someone who does not own the address. Until then nobody can log in with
the address. The form says the same thing whether the address or the organisation exist; only
the address's owner learns more, by email.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.services import notify, notify_many

from .. import notifications as kinds
from ..errors import AlreadyConfirmed, RegistrationError
from ..models import Membership, Organisation
from ..selectors import secretariat_users

# The confirmation link works as long as a password-reset link.
REGISTRATION_VALID_DAYS = settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)
# A pending registration's link is sent again at most this often, however often it is asked.
RESEND_MINUTES = 10


@dataclasses.dataclass(frozen=True)
class OrganisationProfile:
    name: str
    acronym: str = ""
    kind: str = "ngo"
    country: str = ""
    city: str = ""
    website: str = ""
    founded_year: int | None = None
    email: str = ""
    description: str = ""
    language: str = "en"  # the language the description is written in


@dataclasses.dataclass(frozen=True)
class Contact:
    full_name: str
    email: str
    password: str
    language: str = "en"


def unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _profile_fields(profile: OrganisationProfile) -> dict:
    return {
        "name": profile.name.strip(),
        "acronym": profile.acronym.strip(),
        "kind": profile.kind,
        "country": profile.country,
        "city": profile.city.strip(),
        "website": profile.website.strip(),
        "founded_year": profile.founded_year,
        "email": profile.email.strip(),
        "original_language": profile.language,
        # Stored as typed, in the language it is written in (modeltranslation column).
        f"description_{profile.language}": profile.description.strip(),
    }


def organisation_create(*, profile: OrganisationProfile, admin) -> Organisation:
    """Create an organisation with ``admin`` (an active account) as its administrator.

    For people who already have an account (invited earlier, or reviewers) and now apply for a
    new organisation: their address is confirmed already. An organisation of the same name may
    exist (two groups can share a name): the secretariat is told, to merge them if they are one.
    """
    with transaction.atomic():
        organisation = Organisation.objects.create(
            slug=unique_slug(profile.name), **_profile_fields(profile)
        )
        Membership.objects.create(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
        _tell_secretariat_of_a_namesake(organisation)
    return organisation


def registration_start(*, profile: OrganisationProfile, contact: Contact, next_path: str = ""):
    """Register an organisation and its first contact, and email the address; returns the
    pending account the email is about, or None.

    Whatever the address and the name, the person filling the form is told the same thing
    ("check your email"), and only the owner of the address learns more, by email:

    - a new address: the organisation, an inactive account and its administrator membership are
      made, and a confirmation link is sent; an organisation of the same name may exist (the
      secretariat is told once the address is confirmed);
    - an address whose registration is not confirmed yet: nothing changes (not the password, not
      the organisation: a stranger cannot take the pending account over), and the link is sent
      again, at most once every ``RESEND_MINUTES``;
    - an address with an account: nothing changes, and the owner is told that someone tried to
      register with it, at most once a day.
    The email goes out after commit, through the outbox.
    """
    users = get_user_model().objects
    email = contact.email.strip().lower()
    with transaction.atomic():
        user = users.select_for_update().filter(email__iexact=email).first()
        if user is not None and (user.is_active or user.last_login is not None):
            _tell_the_account_owner(user, profile.name.strip())
            return None
        if user is not None:
            membership = (
                Membership.objects.select_related("organisation")
                .filter(user=user, role=Membership.Role.ADMIN)
                .first()
            )
            if membership is not None:
                send_confirmation(
                    user=user, organisation=membership.organisation, next_path=next_path
                )
            return user
        user = users.create_user(
            email=email,
            password=contact.password,
            full_name=contact.full_name.strip(),
            language=contact.language,
            is_active=False,
        )
        organisation = Organisation.objects.create(
            slug=unique_slug(profile.name), **_profile_fields(profile)
        )
        Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
        send_confirmation(user=user, organisation=organisation, next_path=next_path)
    return user


class ConfirmationTokens(PasswordResetTokenGenerator):
    """Tokens of the confirmation link: valid for ``PASSWORD_RESET_TIMEOUT`` (three days), bound
    to the account's password, last login and activation, so that a link stops working once
    used (the account is active then), once the password changed, or once someone logged in."""

    key_salt = "organisations.registration.confirm"

    def _make_hash_value(self, user, timestamp):
        login = "" if user.last_login is None else user.last_login.replace(microsecond=0)
        return f"{user.pk}{user.password}{login}{timestamp}{user.email}{user.is_active}"


confirmation_tokens = ConfirmationTokens()


def confirmation_path(*, user, next_path: str = "") -> str:
    """The address of a new confirmation link for ``user``, in their language."""
    with translation.override(user.language):
        path = reverse(
            "calls:confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": confirmation_tokens.make_token(user),
            },
        )
    return f"{path}?{urlencode({'next': next_path})}" if next_path else path


def send_confirmation(*, user, organisation: Organisation, next_path: str = "") -> None:
    """Record the confirmation email to the contact, in their language; it goes out after
    commit, like every notification, at most once every ``RESEND_MINUTES``."""
    moment = int(timezone.now().timestamp() // (RESEND_MINUTES * 60))
    notify(
        kind=kinds.REGISTRATION_CONFIRM,
        key=f"registration:{user.pk}:{moment}",
        recipient=user,
        path=confirmation_path(user=user, next_path=next_path),
        context={
            "name": user.full_name,
            "organisation": organisation.name,
            "valid_days": REGISTRATION_VALID_DAYS,
        },
    )


def _tell_the_account_owner(user, organisation_name: str) -> None:
    notify_many(
        recipients=[user],
        kind=kinds.REGISTRATION_ACCOUNT_EXISTS,
        key=f"registration-exists:{user.pk}:{timezone.localdate().isoformat()}",
        context={"organisation": organisation_name},
        url_name="accounts:login",
    )


def _tell_secretariat_of_a_namesake(organisation: Organisation) -> None:
    """The secretariat learns that a new organisation shares its name with another."""
    count = (
        Organisation.objects.filter(name__iexact=organisation.name)
        .exclude(pk=organisation.pk)
        .count()
    )
    if not count:
        return
    notify_many(
        recipients=secretariat_users(),
        kind=kinds.ORGANISATION_NAMESAKE,
        key=f"organisation:{organisation.pk}:namesake",
        context={"organisation": organisation.name, "count": count},
        url_name="admin:organisations_organisation_change",
        url_kwargs={"object_id": organisation.pk},
    )


def registration_confirm(*, uidb64: str, token: str):
    """Activate the pending account a confirmation link names; returns the account.

    A link works once, for three days, and not after the account's password changed or someone
    logged in with it. Raises ``RegistrationError`` otherwise (``AlreadyConfirmed`` when the
    account behind an old link is active: it only has to log in). Tells the secretariat if the
    organisation shares its name with another.
    """
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        pk = None
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(pk=pk).first()
        if user is None or not confirmation_tokens.check_token(user, token):
            if user is not None and user.is_active:
                raise AlreadyConfirmed(
                    _("This link was used already: your address is confirmed. Log in.")
                )
            raise RegistrationError(
                _(
                    "This confirmation link is not valid or has expired. Register again with "
                    "the same address to receive a new one."
                )
            )
        if user.last_login is not None:
            # Deactivated by the secretariat after using the site: a link must not undo that.
            raise RegistrationError(_("This account has been closed."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        for membership in Membership.objects.filter(user=user).select_related("organisation"):
            _tell_secretariat_of_a_namesake(membership.organisation)
    return user
