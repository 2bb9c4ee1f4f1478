"""What the public may know of a grant's recipient: the one rule of the at-risk mode.

The secretariat marks an organisation or an initiative as at risk (``is_at_risk``) when
publishing who carries out the grant would put people in danger; an applicant may ask for it in
the application, and the grant then starts at risk. Everything public that names a recipient
asks this module first: the public pages, the sitemap, the search, the open-data files and the
API (``public``, ``api``). For a hidden grant the recipient's name, city, website, people and
photos, and the grant's own texts, are replaced by a neutral label (“A community organisation in
Brazil”) and it has no page of its own; its identifiers are replaced by opaque ones that are
stable (the same every time, so a file can be compared with the last one) but cannot be traced
back (an HMAC keyed by the site's secret); the grant's country, amount, dates and themes
still count.

Identifiers: a grant is ``<OPEN_DATA_GRANT_PREFIX>-<id>``, an organisation its own org-id
(``Organisation.identifier``, e.g. GB-CHC-123456) where the secretariat recorded one, else
``<OPEN_DATA_GRANT_PREFIX>-ORG-<id>``; a hidden one ``…-X<opaque>``.

A small grant of the light track (``LightApplication``) follows the same rule with its own flag
(``is_at_risk``): it is ``<prefix>-SG-<id>`` and its group ``<prefix>-SG-ORG-<id>`` (a group has
no org-id), or ``…-SG-X<opaque>`` and ``…-SG-ORG-X<opaque>`` when at risk; a hidden group is
“A community organisation in <country>”, without its city.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.encoding import force_bytes
from django.utils.translation import get_language, gettext
from django_countries import countries

from organisations.models import Organisation

from ..models import Initiative

OPAQUE_SALT = "grants.disclosure.opaque-id"


def is_hidden(initiative: Initiative) -> bool:
    """True where the public must not learn who receives ``initiative`` (its own flag or its
    lead organisation's; reads ``lead_organisation``, so select it with the initiative)."""
    return initiative.is_at_risk or initiative.lead_organisation.is_at_risk


def hidden_condition() -> Q:
    """The condition of ``is_hidden`` for a queryset of initiatives."""
    return Q(is_at_risk=True) | Q(lead_organisation__is_at_risk=True)


def named(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The initiatives of ``initiatives`` whose recipient the public may know: the ones that
    have a page of their own, in the sitemap and the search."""
    return initiatives.exclude(hidden_condition())


@functools.lru_cache(maxsize=4)
def _opaque_key(secret: str | bytes) -> bytes:
    # What django.utils.crypto.salted_hmac derives from the salt and the secret, derived once
    # (an open-data file asks for thousands of tokens).
    return hashlib.sha256(force_bytes(OPAQUE_SALT) + force_bytes(secret)).digest()


def opaque(kind: str, pk: int) -> str:
    """A stable token for row ``pk`` of ``kind`` that says nothing about it (the HMAC
    ``salted_hmac(OPAQUE_SALT, …, algorithm="sha256")`` gives)."""
    key = _opaque_key(settings.SECRET_KEY)
    token = hmac.new(key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
    return token[:16].upper()


def prefix() -> str:
    return settings.OPEN_DATA_GRANT_PREFIX


def grant_local_id(initiative: Initiative) -> str:
    """The grant's own part of its identifiers: its number, or an opaque token when hidden."""
    if is_hidden(initiative):
        return f"X{opaque('grant', initiative.pk)}"
    return str(initiative.pk)


def small_grant_local_id(application) -> str:
    """A small grant's own part of its identifiers (``SG-<id>``, or an opaque token)."""
    if application.is_at_risk:
        return f"SG-X{opaque('small-grant', application.pk)}"
    return f"SG-{application.pk}"


def small_grant_recipient(application) -> PublicRecipient:
    """The group that receives a small grant, as the public may see it (no page of its own)."""
    country = application.country.code if application.country else ""
    if application.is_at_risk:
        return PublicRecipient(
            identifier=f"{prefix()}-SG-ORG-X{opaque('small-grant-group', application.pk)}",
            name=hidden_label([country]),
            country=country,
            city="",
            website="",
            slug="",
            is_hidden=True,
        )
    return PublicRecipient(
        identifier=f"{prefix()}-SG-ORG-{application.pk}",
        name=application.group_name,
        country=country,
        city=application.city,
        website="",
        slug="",
        is_hidden=False,
    )


def grant_identifier(initiative: Initiative) -> str:
    """The grant's 360Giving identifier, under the publisher's prefix."""
    return f"{prefix()}-{grant_local_id(initiative)}"


def organisation_identifier(organisation: Organisation, *, hidden: bool = False) -> str:
    if hidden or organisation.is_at_risk:
        return f"{prefix()}-ORG-X{opaque('organisation', organisation.pk)}"
    return organisation.identifier or f"{prefix()}-ORG-{organisation.pk}"


def country_names(codes: Iterable[str]) -> str:
    """Country names in the active language, joined with commas."""
    return ", ".join(countries.name(code) for code in codes if code)


def hidden_label(country_codes: Iterable[str]) -> str:
    """“A community organisation in <countries>”, in the active language."""
    return _hidden_label(get_language(), tuple(country_codes))


@functools.lru_cache(maxsize=1024)
def _hidden_label(language: str | None, country_codes: tuple[str, ...]) -> str:
    # The same few labels for thousands of grants (an open-data file): made once per language.
    names = country_names(country_codes)
    if not names:
        return gettext("A community organisation")
    return gettext("A community organisation in %(country)s") % {"country": names}


@dataclass(frozen=True)
class PublicRecipient:
    """A grant's recipient as the public may see it. ``slug`` (its public page) is empty when
    hidden, and so are ``city`` and ``website``."""

    identifier: str
    name: str
    country: str  # ISO 3166-1 alpha-2, or ""
    city: str
    website: str
    slug: str
    is_hidden: bool


def recipient_of(initiative: Initiative) -> PublicRecipient:
    """The lead organisation of ``initiative`` as the public may see it."""
    return _as_public(
        initiative.lead_organisation,
        hidden=is_hidden(initiative),
        countries_otherwise=[country.code for country in initiative.countries],
    )


def public_organisation(organisation: Organisation) -> PublicRecipient:
    """An organisation on its own (the API's list of organisations), hidden when at risk."""
    return _as_public(organisation, hidden=organisation.is_at_risk, countries_otherwise=[])


def _as_public(
    organisation: Organisation, *, hidden: bool, countries_otherwise: list[str]
) -> PublicRecipient:
    country = organisation.country.code if organisation.country else ""
    if hidden:
        return PublicRecipient(
            identifier=organisation_identifier(organisation, hidden=True),
            name=hidden_label([country] if country else countries_otherwise),
            country=country,
            city="",
            website="",
            slug="",
            is_hidden=True,
        )
    return PublicRecipient(
        identifier=organisation_identifier(organisation),
        name=organisation.name,
        country=country,
        city=organisation.city,
        website=organisation.website,
        slug=organisation.slug,
        is_hidden=False,
    )
