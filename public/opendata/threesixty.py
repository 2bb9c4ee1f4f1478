"""The 360Giving Data Standard package (version 1.4) of every published grant, written as a
stream (one grant at a time, so memory does not grow with the number of grants), and the same
data flattened to CSV and XLSX with flattentool, as 360Giving's own tools do.

Texts are in English, or the fallback where a text has no English version (``core.translation``).
A grant whose recipient is at risk shows only what ``grants.selectors.disclosure`` lets through.

``grant_record`` defines a grant as a dict; the package is written by ``grant_json``, the same
JSON made from fragments encoded once per file. A change to one is a change to the other: the
tests compare them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import translation

from grants.selectors.disclosure import hidden_label, prefix

from .records import Lookups, absolute, all_grant_rows, country_name, last_modified

STANDARDS = Path(__file__).resolve().parent / "standards"
PACKAGE_SCHEMA = STANDARDS / "360-giving-package-schema.json"
GRANT_SCHEMA = STANDARDS / "360-giving-schema.json"
VERSION = "1.4"
LANGUAGE = "en"


def number(amount: Decimal) -> int | float:
    """A JSON number for an amount: 5000, or 1234.56."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def funders_of(edition, lookups: Lookups) -> list[dict]:
    rows = lookups.funders.get(edition.pk) or []
    funders = [
        {
            "id": row.funder.identifier or f"{prefix()}-FUNDER-{row.funder.pk}",
            "name": row.funder.name,
        }
        for row in rows
    ]
    # An edition without a funder on record was funded by the publisher itself.
    return funders or [publisher_org()]


def name_of_country_in_file(code: str) -> str:
    return country_name(code, LANGUAGE)


def publisher_org() -> dict:
    return {"id": settings.IATI_REPORTING_ORG_REF, "name": settings.IATI_REPORTING_ORG_NAME}


def once(lookups: Lookups, key: tuple, make):
    """What ``make()`` gives, worked out once per file (what many grants share: an edition's
    programme block, a theme's classification, a label): 100,000 grants share a few dozen."""
    key = ("360giving", *key)
    if key not in lookups.memo:
        lookups.memo[key] = make()
    return lookups.memo[key]


def programme_of(edition, lookups: Lookups) -> list[dict]:
    """The edition (coded ``<programme>-<edition>``), then the programme it belongs to."""
    programme = edition.programme
    return [
        {
            "code": f"{programme.slug}-{edition.slug}",
            "title": edition.title,
            "url": lookups.edition_url(edition),
        },
        {
            "code": programme.slug,
            "title": programme.name,
            "url": absolute(programme.get_absolute_url()),
        },
    ]


def classification(theme) -> dict:
    return {"vocabulary": f"{prefix()}-theme", "code": theme.slug, "title": theme.name}


def grant_record(initiative, lookups: Lookups) -> dict:
    """One grant (a row of ``records.all_grant_rows``: an initiative or a small grant), as
    the 360Giving schema has it (in the active language). Its programme
    (``grantProgramme``) is the edition, coded ``<programme>-<edition>``."""
    edition = initiative.edition
    hidden = initiative.hidden
    recipient = initiative.recipient
    codes = [country.code for country in initiative.countries]
    if hidden:
        title = description = once(lookups, ("label", *codes), lambda: hidden_label(codes))
    else:
        title = initiative.title
        description = initiative.summary or initiative.description or title
    organisation = {"id": recipient.identifier, "name": recipient.name}
    if recipient.country:
        organisation["addressCountry"] = name_of_country_in_file(recipient.country)
    if recipient.city:
        organisation["addressLocality"] = recipient.city
    if recipient.website:
        organisation["url"] = recipient.website
    record = {
        "id": f"{prefix()}-{initiative.local_id}",
        "title": title,
        "description": description,
        "currency": initiative.currency,
        "amountAwarded": number(initiative.amount_awarded),
        "awardDate": (initiative.awarded_on or initiative.created_at.date()).isoformat(),
        "plannedDates": [
            {
                "startDate": initiative.period_start.isoformat(),
                "endDate": initiative.period_end.isoformat(),
            }
        ],
        "recipientOrganization": [organisation],
        "beneficiaryLocation": [
            {"name": name_of_country_in_file(code), "countryCode": code} for code in codes
        ],
        "fundingOrganization": once(
            lookups, ("funders", edition.pk), lambda: funders_of(edition, lookups)
        ),
        "grantProgramme": once(
            lookups, ("programme", edition.pk), lambda: programme_of(edition, lookups)
        ),
        "classifications": [
            once(lookups, ("theme", theme.pk), lambda theme=theme: classification(theme))
            for theme in initiative.theme_list
        ],
        "dateModified": last_modified(initiative).isoformat(),
    }
    paid = initiative.paid_amount
    if paid is not None:
        record["amountDisbursed"] = number(paid)
    if not hidden:
        record["url"] = lookups.grant_url(initiative)
    # No empty lists (a grant without a theme has no classifications).
    return {key: value for key, value in record.items() if value != []}


# The JSON of a string as ``json.dumps(..., ensure_ascii=False)`` writes it.
_string = json.encoder.encode_basestring


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _fragment(lookups: Lookups, key: tuple, make) -> str:
    """The JSON of what ``make()`` gives, encoded once per file."""
    key = ("360giving-json", *key)
    if key not in lookups.memo:
        lookups.memo[key] = _json(make())
    return lookups.memo[key]


def grant_json(initiative, lookups: Lookups) -> tuple[str, str]:
    """``grant_record(initiative, lookups)`` as the package writes it (compact JSON, not
    ASCII-escaped), and its ``dateModified``: the same bytes, with what many grants share
    (an edition's funders and programme, a theme, a list of countries, a label, an amount)
    encoded once per file and each grant's own texts encoded one by one: 100,000 grants
    make 100,000 of these."""
    edition = initiative.edition
    hidden = initiative.hidden
    recipient = initiative.recipient
    codes = [country.code for country in initiative.countries]
    if hidden:
        title = description = _fragment(lookups, ("label", *codes), lambda: hidden_label(codes))
    else:
        title = _string(initiative.title)
        description = _string(initiative.summary or initiative.description or initiative.title)
    organisation = f'{{"id":{_string(recipient.identifier)},"name":{_string(recipient.name)}'
    if recipient.country:
        organisation += ',"addressCountry":' + _fragment(
            lookups,
            ("country", recipient.country),
            lambda: name_of_country_in_file(recipient.country),
        )
    if recipient.city:
        organisation += ',"addressLocality":' + _string(recipient.city)
    if recipient.website:
        organisation += ',"url":' + _string(recipient.website)
    awarded = (initiative.awarded_on or initiative.created_at.date()).isoformat()
    modified = last_modified(initiative).isoformat()
    parts = [
        '{"id":',
        _string(f"{prefix()}-{initiative.local_id}"),
        ',"title":',
        title,
        ',"description":',
        description,
        ',"currency":',
        _string(initiative.currency),
        ',"amountAwarded":',
        _amount(lookups, initiative.amount_awarded),
        f',"awardDate":"{awarded}","plannedDates":[{{"startDate":"',
        initiative.period_start.isoformat(),
        '","endDate":"',
        initiative.period_end.isoformat(),
        '"}],"recipientOrganization":[',
        organisation,
        "}]",
    ]
    if codes:
        parts.append(',"beneficiaryLocation":')
        parts.append(
            _fragment(
                lookups,
                ("places", *codes),
                lambda: [
                    {"name": name_of_country_in_file(code), "countryCode": code} for code in codes
                ],
            )
        )
    parts.append(',"fundingOrganization":')
    parts.append(_fragment(lookups, ("funders", edition.pk), lambda: funders_of(edition, lookups)))
    parts.append(',"grantProgramme":')
    parts.append(
        _fragment(lookups, ("programme", edition.pk), lambda: programme_of(edition, lookups))
    )
    themes = initiative.theme_list
    if themes:
        parts.append(',"classifications":')
        parts.append(
            _fragment(
                lookups,
                ("themes", *(theme.pk for theme in themes)),
                lambda: [classification(theme) for theme in themes],
            )
        )
    parts.append(f',"dateModified":"{modified}"')
    paid = initiative.paid_amount
    if paid is not None:
        parts.append(',"amountDisbursed":')
        parts.append(_amount(lookups, paid))
    if not hidden:
        parts.append(',"url":')
        parts.append(_string(lookups.grant_url(initiative)))
    parts.append("}")
    return "".join(parts), modified


def _amount(lookups: Lookups, amount: Decimal) -> str:
    key = ("360giving-amount", amount)
    if key not in lookups.memo:
        lookups.memo[key] = _json(number(amount))
    return lookups.memo[key]


def write_package(output: IO[str]) -> int:
    """Write the package to ``output``, one grant after the other; returns the number of
    grants. The same data gives the same bytes (no clock in the file): ``modified`` is when
    the newest grant last changed."""
    count = 0
    newest = None
    with translation.override(LANGUAGE):
        lookups = Lookups.load()
        lookups.language = LANGUAGE
        output.write('{"grants": [\n')
        write = output.write
        for initiative in all_grant_rows(lookups):
            record, changed = grant_json(initiative, lookups)
            write(",\n" + record if count else record)
            count += 1
            newest = changed if newest is None or changed > newest else newest
        metadata = {
            "version": VERSION,
            "title": f"{settings.IATI_REPORTING_ORG_NAME}: grants",
            "publisher": {
                "name": settings.IATI_REPORTING_ORG_NAME,
                "identifier": settings.IATI_REPORTING_ORG_REF,
                "website": settings.SITE_URL + "/",
            },
            "license": settings.OPEN_DATA_LICENCE_URL,
        }
        if newest:
            metadata["modified"] = metadata["issued"] = newest
        output.write("\n]")
        for key, value in metadata.items():
            output.write(f", {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        output.write("}\n")
    return count


def flatten_options(schema: Path) -> dict:
    return {
        "schema": str(schema),
        "main_sheet_name": "grants",
        "root_list_path": "grants",
        "root_id": "",
        "use_titles": True,
        # One sheet per list (recipient, funders, places, themes…), joined on the grant's
        # Identifier: a list rolled up into the grants sheet would also stay in its own sheet,
        # and read back twice.
        "rollup": False,
        # Only the columns and sheets that hold data, not all the standard's.
        "remove_empty_schema_columns": True,
    }


def write_flattened(json_path: Path, *, csv_zip: Path, xlsx: Path) -> None:
    """Flatten the package at ``json_path`` to a ZIP of CSV sheets (``grants.csv`` and one
    sheet per list that does not fit in a row) and to an XLSX workbook."""
    import flattentool
    from flattentool.exceptions import FlattenToolWarning

    with tempfile.TemporaryDirectory(dir=json_path.parent) as scratch, warnings.catch_warnings():
        # The grant schema (its references are all inside it: no network) gives the titles.
        # The schema's transaction lists have no titles; 360Giving leaves them out too.
        warnings.simplefilter("ignore", FlattenToolWarning)
        folder = Path(scratch)
        options = flatten_options(GRANT_SCHEMA)
        flattentool.flatten(
            str(json_path), output_name=str(folder / "csv"), output_format="csv", **options
        )
        flattentool.flatten(
            str(json_path), output_name=str(folder / "book.xlsx"), output_format="xlsx", **options
        )
        with zipfile.ZipFile(csv_zip, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for sheet in sorted((folder / "csv").glob("*.csv")):
                # A fixed date in the archive: the same data gives the same bytes.
                entry = zipfile.ZipInfo(sheet.name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, sheet.read_bytes())
        shutil.move(folder / "book.xlsx", xlsx)
