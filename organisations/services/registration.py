"""Registering an organisation and its first contact, with the contact's email confirmed.

Registration creates the organisation, an inactive account for the contact and their
administrator membership at once, then emails a signed link (``django.core.signing``, no token
table) through the notifications app, like every email. Following the link within
``REGISTRATION_VALID_DAYS`` activates the account. Until then nobody can log in with the
address; registering again with the same unconfirmed address updates the details and sends a
fresh link, so a mistyped form or a lost email is never a dead end, and
someone who does not own the address cannot use it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import notifications as kinds
from ..errors import RegistrationError
from ..models import Membership, Organisation

SALT = "organisations.registration"
REGISTRATION_VALID_DAYS = 3


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


def organisation_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """An organisation of that name (any case) exists: its people log in instead of registering."""
    found = Organisation.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


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
    new organisation: their address is confirmed already. Raises ``RegistrationError`` when an
    organisation of the same name exists.
    """
    with transaction.atomic():
        if organisation_name_taken(profile.name):
            raise RegistrationError(_name_taken_message(), field="name")
        organisation = Organisation.objects.create(
            slug=unique_slug(profile.name), **_profile_fields(profile)
        )
        Membership.objects.create(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


def _name_taken_message() -> str:
    return _(
        "An organisation with this name is already registered. If you belong to it, log in, "
        "or ask one of its members or the secretariat to invite you."
    )


def registration_start(
    *, profile: OrganisationProfile, contact: Contact, next_path: str = ""
) -> Organisation:
    """Register an organisation and its first contact and send the confirmation email.

    The contact's account stays inactive until the emailed link is followed. Registering again
    with an address that was never confirmed updates that registration (same organisation) and
    sends a new link. Raises ``RegistrationError`` when the address belongs to a confirmed
    account or the organisation name is taken. The email goes out after commit.
    """
    users = get_user_model().objects
    email = contact.email.strip().lower()
    with transaction.atomic():
        user = users.select_for_update().filter(email__iexact=email).first()
        organisation = None
        if user is not None:
            if user.is_active or user.last_login is not None:
                raise RegistrationError(
                    _(
                        "An account with this email address exists. Log in to apply, or reset "
                        "your password if you have forgotten it."
                    ),
                    field="contact_email",
                )
            membership = (
                Membership.objects.select_related("organisation")
                .filter(user=user, role=Membership.Role.ADMIN)
                .first()
            )
            organisation = membership.organisation if membership else None
        if organisation_name_taken(
            profile.name, exclude_pk=organisation.pk if organisation else None
        ):
            raise RegistrationError(_name_taken_message(), field="name")

        if user is None:
            user = users.create_user(
                email=email,
                password=contact.password,
                full_name=contact.full_name.strip(),
                language=contact.language,
                is_active=False,
            )
        else:
            user.full_name = contact.full_name.strip()
            user.language = contact.language
            user.set_password(contact.password)
            user.save(update_fields=["full_name", "language", "password"])

        fields = _profile_fields(profile)
        if organisation is None:
            organisation = Organisation.objects.create(slug=unique_slug(profile.name), **fields)
            Membership.objects.create(
                user=user, organisation=organisation, role=Membership.Role.ADMIN
            )
        else:
            for name, value in fields.items():
                setattr(organisation, name, value)
            organisation.save()

        send_confirmation(
            user=user,
            organisation=organisation,
            token=make_token(user=user, next_path=next_path),
        )
    return organisation


def make_token(*, user, next_path: str = "") -> str:
    """A signed, timestamped token naming the account and its address (a changed address or an
    expired token no longer confirms anything). Each one is different, so that each
    registration's email is a notification of its own."""
    return signing.dumps(
        {"u": user.pk, "e": user.email, "n": next_path, "r": secrets.token_hex(4)}, salt=SALT
    )


def send_confirmation(*, user, organisation: Organisation, token: str) -> None:
    """Record the confirmation email to the contact, in their language; it goes out after
    commit, like every notification. Each token is a notification of its own."""
    with translation.override(user.language):
        path = reverse("calls:confirm", kwargs={"token": token})
    notify(
        kind=kinds.REGISTRATION_CONFIRM,
        key=f"registration:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:16]}",
        recipient=user,
        path=path,
        context={
            "name": user.full_name,
            "organisation": organisation.name,
            "valid_days": REGISTRATION_VALID_DAYS,
        },
    )


def registration_confirm(*, token: str):
    """Activate the account named by a confirmation token; returns (user, next path).

    Safe to follow twice: an account already active is returned as it is. Raises
    ``RegistrationError`` for a forged, altered or expired token.
    """
    try:
        data = signing.loads(token, salt=SALT, max_age=REGISTRATION_VALID_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise RegistrationError(
            _("This confirmation link has expired. Register again to receive a new one.")
        ) from error
    except signing.BadSignature as error:
        raise RegistrationError(_("This confirmation link is not valid.")) from error
    with transaction.atomic():
        user = (
            get_user_model()
            .objects.select_for_update()
            .filter(pk=data.get("u"), email__iexact=data.get("e", ""))
            .first()
        )
        if user is None:
            raise RegistrationError(_("This confirmation link is not valid."))
        if not user.is_active:
            if user.last_login is not None:
                # Deactivated by the secretariat after using the site: a link must not undo that.
                raise RegistrationError(_("This account has been closed."))
            user.is_active = True
            user.save(update_fields=["is_active"])
    return user, data.get("n", "")
