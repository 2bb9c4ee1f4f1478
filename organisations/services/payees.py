"""An organisation's payee and bank details: entered in the portal by its administrators or
signatories, each save a new version (who, when, the values), verified by a member of the
secretariat who edited none of the versions since the last verification (four eyes). A
payment is recorded only to verified details (``organisations.selectors.verified_payee``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from notifications.services import notify_many

from .. import notifications as kinds
from ..errors import PayeeError, StalePayeeDetails
from ..models import Organisation, PayeeDetails, PayeeDetailsVersion
from ..selectors import (
    can_manage_payee,
    is_secretariat,
    organisation_members,
    secretariat_users,
)

# What a version holds, in the order the forms show it.
PAYEE_FIELDS = (
    "account_holder",
    "bank_name",
    "account_number",
    "swift_bic",
    "bank_address",
    "country",
    "currency",
    "notes",
)
REQUIRED = ("account_holder", "bank_name", "account_number", "country", "currency")
SWIFT_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
# An IBAN: country code, check digits, then up to 30 letters and digits.
IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
ACCOUNT_NUMBER = re.compile(r"^[A-Z0-9 ./-]+$")


def _iban_is_valid(iban: str) -> bool:
    """The ISO 13616 check: the IBAN, its first four characters moved to the end and letters
    read as numbers (A = 10 … Z = 35), is 1 modulo 97."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def _normalised(values: Mapping[str, str]) -> dict[str, str]:
    cleaned = {name: str(values.get(name) or "").strip() for name in PAYEE_FIELDS}
    cleaned["account_number"] = " ".join(cleaned["account_number"].upper().split())
    cleaned["swift_bic"] = "".join(cleaned["swift_bic"].upper().split())
    cleaned["currency"] = cleaned["currency"].upper()
    cleaned["country"] = cleaned["country"].upper()
    return cleaned


def payee_problems(values: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with bank details as typed, field → message (empty when they can be
    saved)."""
    problems = {name: _("This field is required.") for name in REQUIRED if not values[name]}
    number = values["account_number"]
    compact = number.replace(" ", "")
    if number and not ACCOUNT_NUMBER.match(number):
        problems["account_number"] = _(
            "Use only letters, digits, spaces, dots, slashes and hyphens."
        )
    elif IBAN.match(compact) and compact[:2] in dict(countries) and not _iban_is_valid(compact):
        problems["account_number"] = _(
            "This IBAN is not valid (its check digits do not match): check it for a typing mistake."
        )
    if values["swift_bic"] and not SWIFT_BIC.match(values["swift_bic"]):
        problems["swift_bic"] = _("A SWIFT/BIC code has 8 or 11 letters and digits.")
    if values["currency"] and not CURRENCY.match(values["currency"]):
        problems["currency"] = _("Give the three-letter ISO 4217 code, for example USD or EUR.")
    if values["country"] and values["country"] not in dict(countries):
        problems["country"] = _("Choose a country.")
    return problems


@transaction.atomic
def payee_details_save(
    *, organisation: Organisation, actor, values: Mapping[str, str], read_version: int
) -> PayeeDetails:
    """Save bank details typed by an administrator or signatory of ``organisation`` as a new
    version (the earlier ones are kept), and tell the secretariat, who must verify them before
    the next payment. Returns the payee row; an unchanged save makes no version.

    An empty ``account_number`` keeps the current one (the form never shows it in full).
    ``read_version`` is the version the form was opened at: when someone saved since,
    ``StalePayeeDetails`` is raised and nothing is written. Raises ``PayeeError`` (with
    ``errors``) for values that cannot be saved or a person who may not save them.
    """
    if not can_manage_payee(actor, organisation):
        raise PayeeError(
            _(
                "Only an administrator or a signatory of the organisation can change its bank "
                "details."
            )
        )
    # The organisation's row serialises the first save: two at once cannot both create a payee.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    payee, _created = PayeeDetails.objects.get_or_create(organisation=organisation)
    payee = (
        PayeeDetails.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(pk=payee.pk)
    )
    if payee.version != read_version:
        raise StalePayeeDetails(
            _(
                "Someone changed these bank details after you opened them. What you typed is "
                "below, not saved: compare it with what is saved now, then save again."
            )
        )
    cleaned = _normalised(values)
    current = payee.current
    if not cleaned["account_number"] and current is not None:
        cleaned["account_number"] = current.account_number
    problems = payee_problems(cleaned)
    if problems:
        raise PayeeError(_("Please correct the details below."), problems)
    if current is not None and all(
        str(getattr(current, name)) == cleaned[name] for name in PAYEE_FIELDS
    ):
        return payee
    version = PayeeDetailsVersion.objects.create(
        payee=payee, number=payee.version + 1, created_by=actor, **cleaned
    )
    payee.version = version.number
    payee.current = version
    payee.save(update_fields=["version", "current"])
    notify_many(
        recipients=secretariat_users(),
        kind=kinds.PAYEE_DETAILS_CHANGED,
        key=f"payee:{payee.pk}:version:{version.number}",
        context={"organisation": organisation.name, "changed_by": actor.get_full_name()},
        url_name="admin:organisations_payeedetails_verify",
        url_kwargs={"object_id": payee.pk},
    )
    return payee


@transaction.atomic
def payee_details_verify(*, payee: PayeeDetails, actor, version: int) -> PayeeDetails:
    """A member of the secretariat verifies the current bank details of an organisation (the
    ``version`` shown on their page), and the organisation is told.

    Four eyes: refused to anyone who saved a version since the last verification (what is
    verified is their work). Refused too when the details changed since the page was opened
    (``StalePayeeDetails``), or are verified already (a second click does nothing more).
    """
    if not is_secretariat(actor):
        raise PayeeError(_("Only the secretariat can verify bank details."))
    locked = (
        PayeeDetails.objects.select_for_update(of=("self",))
        .select_related("organisation", "current")
        .get(pk=payee.pk)
    )
    current = locked.current
    if current is None:
        raise PayeeError(_("There are no bank details to verify."))
    if locked.version != version:
        raise StalePayeeDetails(
            _("These bank details changed after you opened them. Read them again before verifying.")
        )
    if current.is_verified:
        raise PayeeError(_("These bank details are verified already."))
    last_verified = (
        locked.versions.filter(verified_at__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    editors = set(
        locked.versions.filter(number__gt=last_verified).values_list("created_by_id", flat=True)
    )
    if actor.pk in editors:
        raise PayeeError(
            _(
                "You entered or changed these bank details, so you cannot verify them: another "
                "member of the secretariat must."
            )
        )
    current.verified_by = actor
    current.verified_at = timezone.now()
    current.save(update_fields=["verified_by", "verified_at"])
    notify_many(
        recipients=organisation_members(locked.organisation),
        kind=kinds.PAYEE_DETAILS_VERIFIED,
        key=f"payee:{locked.pk}:verified:{current.number}",
        context={"organisation": locked.organisation.name},
        url_name="portal:payee",
        url_kwargs={"pk": locked.organisation_id},
    )
    return locked
