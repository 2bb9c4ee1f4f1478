"""IATI 2.03 activity XML: one activity per published initiative and per approved small grant of
a published light-track edition (``records.all_grant_rows``), written as a stream.

Each activity has the publisher as reporting organisation (settings ``IATI_REPORTING_ORG_*``),
the edition's funders as funding participants and the lead organisation as implementing one,
narratives in every language its texts exist in (``xml:lang``), its countries with even
percentages, the IATI sectors of its themes (``programme.ThemeSector``, kept in the back
office), a commitment at award and a disbursement per tranche paid, and the indicators with the
values accepted reports gave them. The elements follow the order the 2.03 schema requires.

A grant whose recipient is at risk (``grants.selectors.disclosure``) keeps its countries,
sectors, amounts and dates; its texts are the neutral label in each language, and its results
are left out (indicator names are the grantee's own words).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from typing import IO

from django.conf import settings
from django.utils import translation
from lxml import etree
from modeltranslation.utils import build_localized_fieldname

from grants.selectors.disclosure import hidden_label
from grants.workflow import InitiativeStatus

from .records import Lookups, all_grant_rows, last_modified

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# IATI's ActivityStatus codelist.
ACTIVITY_STATUS = {
    InitiativeStatus.AWARDED: "1",  # pipeline/identification
    InitiativeStatus.WORKPLAN_APPROVED: "2",  # implementation
    InitiativeStatus.ACTIVE: "2",
    InitiativeStatus.COMPLETED: "4",  # closed
    InitiativeStatus.TERMINATED: "5",  # cancelled
}
PLANNED_START, PLANNED_END = "1", "3"  # ActivityDateType
FUNDING, IMPLEMENTING = "1", "4"  # OrganisationRole
COMMITMENT, DISBURSEMENT = "2", "3"  # TransactionType
DESCRIPTION_GENERAL = "1"  # DescriptionType
RESULT_OUTPUT = "1"  # ResultType
MEASURE_UNIT = "1"  # IndicatorMeasure


def languages() -> tuple[str, ...]:
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def texts(instance, field: str) -> dict[str, str]:
    """The field's text in each language it was written or translated in (original first)."""
    found = {}
    order = [instance.original_language, *languages()]
    for code in order:
        value = getattr(instance, build_localized_fieldname(field, code), None)
        if value and code not in found:
            found[code] = value
    return found


def in_every_language(make) -> dict[str, str]:
    found = {}
    for code in languages():
        with translation.override(code):
            found[code] = str(make())
    return found


def narratives(parent, by_language: dict[str | None, str]) -> None:
    """One narrative per language; a name (key None) takes the activity's language."""
    for code, text in by_language.items():
        etree.SubElement(parent, "narrative", {XML_LANG: code} if code else {}).text = text


def percentages(count: int) -> list[str]:
    """``count`` shares of 100 with two decimals, adding up to exactly 100."""
    if not count:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * (count - 1) + [Decimal(100) - share * (count - 1)]
    return [format(value.normalize(), "f") for value in shares]


def organisation(parent, tag: str, attributes: dict, name: dict):
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    narratives(element, name)
    return element


def activity(initiative, lookups: Lookups):
    """The ``iati-activity`` element of one grant."""
    edition = initiative.edition
    hidden = initiative.hidden
    codes = [country.code for country in initiative.countries]
    recipient = initiative.recipient
    currency = initiative.currency
    root = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": last_modified(initiative).isoformat(timespec="seconds"),
            XML_LANG: initiative.original_language,
            "default-currency": currency,
        },
    )
    reporting_ref = settings.IATI_REPORTING_ORG_REF
    etree.SubElement(root, "iati-identifier").text = f"{reporting_ref}-{initiative.local_id}"
    publisher = {None: settings.IATI_REPORTING_ORG_NAME}
    organisation(
        root,
        "reporting-org",
        {"ref": reporting_ref, "type": settings.IATI_REPORTING_ORG_TYPE},
        publisher,
    )
    if hidden:
        key = ("iati-label", *codes)  # the same few labels for thousands of grants
        if key not in lookups.memo:
            lookups.memo[key] = in_every_language(lambda: hidden_label(codes))
        label = lookups.memo[key]
        title = description = recipient_name = label
    else:
        title = texts(initiative, "title")
        description = texts(initiative, "summary") or texts(initiative, "description") or title
        recipient_name = {None: recipient.name}
    narratives(etree.SubElement(root, "title"), title)
    narratives(etree.SubElement(root, "description", type=DESCRIPTION_GENERAL), description)

    funders = lookups.funders.get(edition.pk) or []
    for row in funders:
        organisation(
            root,
            "participating-org",
            {"role": FUNDING, "ref": row.funder.identifier},
            {None: row.funder.name},
        )
    if not funders:
        organisation(
            root,
            "participating-org",
            {"role": FUNDING, "ref": reporting_ref, "type": settings.IATI_REPORTING_ORG_TYPE},
            publisher,
        )
    organisation(
        root,
        "participating-org",
        {"role": IMPLEMENTING, "ref": recipient.identifier},
        recipient_name,
    )
    etree.SubElement(root, "activity-status", code=ACTIVITY_STATUS.get(initiative.status, "2"))
    etree.SubElement(
        root,
        "activity-date",
        type=PLANNED_START,
        **{"iso-date": initiative.period_start.isoformat()},
    )
    etree.SubElement(
        root, "activity-date", type=PLANNED_END, **{"iso-date": initiative.period_end.isoformat()}
    )
    for code, percentage in zip(codes, percentages(len(codes)), strict=True):
        etree.SubElement(root, "recipient-country", code=code, percentage=percentage)

    by_vocabulary: dict[str, list[str]] = defaultdict(list)
    for theme in initiative.theme_list:
        for sector in lookups.sectors.get(theme.pk, ()):
            if sector.code not in by_vocabulary[sector.vocabulary]:
                by_vocabulary[sector.vocabulary].append(sector.code)
    for vocabulary, sector_codes in sorted(by_vocabulary.items()):
        for code, percentage in zip(sector_codes, percentages(len(sector_codes)), strict=True):
            etree.SubElement(
                root, "sector", vocabulary=vocabulary, code=code, percentage=percentage
            )

    awarded_on = (initiative.awarded_on or initiative.created_at.date()).isoformat()
    transaction(
        root, COMMITMENT, awarded_on, initiative.amount_awarded, currency, recipient, recipient_name
    )
    for paid in initiative.paid:
        transaction(
            root,
            DISBURSEMENT,
            paid.paid_on.isoformat(),
            paid.amount,
            paid.currency,
            recipient,
            recipient_name,
        )
    if not hidden:
        results(root, initiative)
    return root


def transaction(parent, kind, day, amount, currency, recipient, recipient_name) -> None:
    element = etree.SubElement(parent, "transaction")
    etree.SubElement(element, "transaction-type", code=kind)
    etree.SubElement(element, "transaction-date", {"iso-date": day})
    value = etree.SubElement(element, "value", {"currency": currency, "value-date": day})
    value.text = str(amount)
    organisation(element, "receiver-org", {"ref": recipient.identifier}, recipient_name)


def results(parent, initiative) -> None:
    """One output result per indicator that accepted reports gave a value to."""
    for indicator in initiative.indicator_list:
        if not indicator.reported:
            continue
        result = etree.SubElement(parent, "result", type=RESULT_OUTPUT)
        narratives(
            etree.SubElement(result, "title"), {initiative.original_language: indicator.name}
        )
        element = etree.SubElement(result, "indicator", measure=MEASURE_UNIT)
        name = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
        narratives(etree.SubElement(element, "title"), {initiative.original_language: name})
        if indicator.baseline is not None:
            etree.SubElement(
                element,
                "baseline",
                year=str(initiative.period_start.year),
                value=str(indicator.baseline),
            )
        for reported in indicator.reported:
            period = etree.SubElement(element, "period")
            etree.SubElement(
                period, "period-start", {"iso-date": reported.report.period_start.isoformat()}
            )
            etree.SubElement(
                period, "period-end", {"iso-date": reported.report.period_end.isoformat()}
            )
            etree.SubElement(period, "target", value=str(indicator.target))
            etree.SubElement(period, "actual", value=str(reported.value))


def write_activities(output: IO[bytes]) -> int:
    """Write every published grant's activity to ``output`` (bytes), one after the other;
    returns the number of activities. No clock in the file: the same data, the same bytes."""
    count = 0
    lookups = Lookups.load()
    with etree.xmlfile(output, encoding="utf-8") as document:
        document.write_declaration()
        with document.element("iati-activities", version="2.03"):
            for initiative in all_grant_rows(lookups, with_payments=True, with_results=True):
                document.write(activity(initiative, lookups), pretty_print=True)
                count += 1
    return count
