"""schema.org JSON-LD of the public pages, for search engines and other readers of the web:
each initiative page describes its grant as a ``MonetaryGrant``. A recipient at risk is named
only by its neutral label, as everywhere public (``grants.selectors.disclosure``)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.money import amount_text
from grants.models import Initiative
from grants.selectors.disclosure import grant_identifier, hidden_label, is_hidden, recipient_of

# What could close the <script> element or open a comment, written as JSON escapes instead
# (as Django's json_script does).
ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script(data: dict) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">`` element (a data block: nothing
    runs, so the Content-Security-Policy lets it be)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def organisation(name: str, url: str = "") -> dict:
    data = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def monetary_grant(initiative: Initiative, *, absolute) -> dict:
    """The grant of ``initiative`` (with its edition's funders loaded) as a schema.org
    ``MonetaryGrant``; ``absolute`` makes a path a full address."""
    hidden = is_hidden(initiative)
    recipient = recipient_of(initiative)
    codes = [country.code for country in initiative.countries]
    funders = [
        organisation(row.funder.name, row.funder.website)
        for row in initiative.edition.funders.all()
    ] or [organisation(settings.IATI_REPORTING_ORG_NAME, settings.SITE_URL + "/")]
    data = {
        "@context": "https://schema.org",
        "@type": "MonetaryGrant",
        "identifier": grant_identifier(initiative),
        "name": hidden_label(codes) if hidden else initiative.title,
        "amount": {
            "@type": "MonetaryAmount",
            "value": amount_text(initiative.amount_awarded),
            "currency": initiative.currency,
        },
        "funder": funders,
        "recipient": organisation(
            recipient.name,
            absolute(initiative.lead_organisation.get_absolute_url()) if recipient.slug else "",
        ),
    }
    description = "" if hidden else (initiative.summary or initiative.description)
    if description:
        data["description"] = description
    if not hidden:
        data["url"] = absolute(initiative.get_absolute_url())
    return data
