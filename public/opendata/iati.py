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

``activity`` defines an activity as an lxml element; the file is written by ``activity_xml``,
the same text made from strings (what many activities share is serialised by lxml once per
file), three times faster. A change to one is a change to the other: the tests compare them.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal
from typing import IO

from django.conf import settings
from django.utils import translation
from lxml import etree
from modeltranslation.utils import build_localized_fieldname

from grants.selectors.disclosure import hidden_label
from grants.workflow import InitiativeStatus

from .records import Lookups, _Row, all_grant_rows, last_modified

Element, SubElement = etree.Element, etree.SubElement

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


@functools.lru_cache(maxsize=64)
def _columns(field: str, original: str, codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(language, column) to read ``field`` from, original language first, each once."""
    order = dict.fromkeys([original, *codes])
    return tuple((code, build_localized_fieldname(field, code)) for code in order)


def texts(instance, field: str) -> dict[str, str]:
    """The field's text in each language it was written or translated in (original first)."""
    found = {}
    values = instance.__dict__ if isinstance(instance, _Row) else None
    for code, column in _columns(field, instance.original_language, languages()):
        value = values.get(column) if values is not None else getattr(instance, column, None)
        if value:
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
        SubElement(parent, "narrative", {XML_LANG: code} if code else {}).text = text


@functools.lru_cache(maxsize=64)
def percentages(count: int) -> list[str]:
    """``count`` shares of 100 with two decimals, adding up to exactly 100."""
    if not count:
        return []
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * (count - 1) + [Decimal(100) - share * (count - 1)]
    return [format(value.normalize(), "f") for value in shares]


def organisation(parent, tag: str, attributes: dict, name: dict):
    element = SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    narratives(element, name)
    return element


def shared(lookups: Lookups, key: tuple, make) -> list:
    """Copies of the elements ``make()`` gives (a list), made once per file: what many
    activities share (the publisher, an edition's funders, a list of countries or sectors, a
    label in every language) is copied, not built again, for each of 100,000 activities."""
    key = ("iati-elements", *key)
    if key not in lookups.memo:
        lookups.memo[key] = make()
    return [element.__copy__() for element in lookups.memo[key]]  # a deep copy (lxml)


def activity(initiative, lookups: Lookups):
    """The ``iati-activity`` element of one grant."""
    edition_id = initiative.edition_id
    hidden = initiative.hidden
    codes = tuple(country.code for country in initiative.countries)
    recipient = initiative.recipient
    currency = initiative.currency
    root = Element(
        "iati-activity",
        {
            "last-updated-datetime": last_modified(initiative).isoformat(timespec="seconds"),
            XML_LANG: initiative.original_language,
            "default-currency": currency,
        },
    )
    reporting_ref = settings.IATI_REPORTING_ORG_REF
    SubElement(root, "iati-identifier").text = f"{reporting_ref}-{initiative.local_id}"
    root.extend(shared(lookups, ("publisher",), lambda: [reporting_org(Element("x"))]))
    if hidden:
        key = ("iati-label", *codes)  # the same few labels for thousands of grants
        if key not in lookups.memo:
            lookups.memo[key] = in_every_language(lambda: hidden_label(codes))
        label = lookups.memo[key]
        recipient_name = label
        root.extend(shared(lookups, ("label", *codes), lambda: texts_of(label, label)))
    else:
        title = texts(initiative, "title")
        description = texts(initiative, "summary") or texts(initiative, "description") or title
        recipient_name = {None: recipient.name}
        root.extend(texts_of(title, description))

    root.extend(shared(lookups, ("funders", edition_id), lambda: funding(edition_id, lookups)))
    organisation(
        root,
        "participating-org",
        {"role": IMPLEMENTING, "ref": recipient.identifier},
        recipient_name,
    )
    SubElement(root, "activity-status", code=ACTIVITY_STATUS.get(initiative.status, "2"))
    SubElement(
        root,
        "activity-date",
        {"type": PLANNED_START, "iso-date": initiative.period_start.isoformat()},
    )
    SubElement(
        root, "activity-date", {"type": PLANNED_END, "iso-date": initiative.period_end.isoformat()}
    )
    themes = tuple(theme.pk for theme in initiative.theme_list)
    root.extend(
        shared(
            lookups,
            ("places", codes, themes),
            lambda: places(codes, initiative.theme_list, lookups),
        )
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


def reporting_org(parent):
    return organisation(
        parent,
        "reporting-org",
        {"ref": settings.IATI_REPORTING_ORG_REF, "type": settings.IATI_REPORTING_ORG_TYPE},
        {None: settings.IATI_REPORTING_ORG_NAME},
    )


def texts_of(title: dict, description: dict) -> list:
    """The ``title`` and ``description`` elements."""
    holder = Element("x")
    narratives(SubElement(holder, "title"), title)
    narratives(SubElement(holder, "description", type=DESCRIPTION_GENERAL), description)
    return list(holder)


def funding(edition_id: int, lookups: Lookups) -> list:
    """The edition's funders as funding participants (the publisher, without one on record)."""
    holder = Element("x")
    funders = lookups.funders.get(edition_id) or []
    for row in funders:
        organisation(
            holder,
            "participating-org",
            {"role": FUNDING, "ref": row.funder.identifier},
            {None: row.funder.name},
        )
    if not funders:
        organisation(
            holder,
            "participating-org",
            {
                "role": FUNDING,
                "ref": settings.IATI_REPORTING_ORG_REF,
                "type": settings.IATI_REPORTING_ORG_TYPE,
            },
            {None: settings.IATI_REPORTING_ORG_NAME},
        )
    return list(holder)


def places(codes: tuple[str, ...], themes: list, lookups: Lookups) -> list:
    """The ``recipient-country`` and ``sector`` elements of countries ``codes`` and
    ``themes``, with even percentages."""
    holder = Element("x")
    for code, percentage in zip(codes, percentages(len(codes)), strict=True):
        SubElement(holder, "recipient-country", code=code, percentage=percentage)
    by_vocabulary: dict[str, list[str]] = defaultdict(list)
    for theme in themes:
        for sector in lookups.sectors.get(theme.pk, ()):
            if sector.code not in by_vocabulary[sector.vocabulary]:
                by_vocabulary[sector.vocabulary].append(sector.code)
    for vocabulary, sector_codes in sorted(by_vocabulary.items()):
        for code, percentage in zip(sector_codes, percentages(len(sector_codes)), strict=True):
            SubElement(holder, "sector", vocabulary=vocabulary, code=code, percentage=percentage)
    return list(holder)


def transaction(parent, kind, day, amount, currency, recipient, recipient_name) -> None:
    element = SubElement(parent, "transaction")
    SubElement(element, "transaction-type", code=kind)
    SubElement(element, "transaction-date", {"iso-date": day})
    value = SubElement(element, "value", {"currency": currency, "value-date": day})
    value.text = str(amount)
    organisation(element, "receiver-org", {"ref": recipient.identifier}, recipient_name)


def results(parent, initiative) -> None:
    """One output result per indicator that accepted reports gave a value to."""
    for indicator in initiative.indicator_list:
        if not indicator.reported:
            continue
        result = SubElement(parent, "result", type=RESULT_OUTPUT)
        narratives(SubElement(result, "title"), {initiative.original_language: indicator.name})
        element = SubElement(result, "indicator", measure=MEASURE_UNIT)
        name = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
        narratives(SubElement(element, "title"), {initiative.original_language: name})
        if indicator.baseline is not None:
            SubElement(
                element,
                "baseline",
                year=str(initiative.period_start.year),
                value=str(indicator.baseline),
            )
        for reported in indicator.reported:
            period = SubElement(element, "period")
            SubElement(
                period, "period-start", {"iso-date": reported.report.period_start.isoformat()}
            )
            SubElement(period, "period-end", {"iso-date": reported.report.period_end.isoformat()})
            SubElement(period, "target", value=str(indicator.target))
            SubElement(period, "actual", value=str(reported.value))


# The fast writer: each activity as the text ``etree.tostring(activity(…), pretty_print=True)``
# gives, written from strings (what many activities share serialised once per file by lxml
# itself): 100,000 activities built as element trees spent most of the file's time making
# elements. ``tests/public/test_opendata.py`` holds the two to the same bytes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    """``value`` as lxml writes an element's text."""
    if _NOT_XML.search(value):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
            "characters"
        )
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    """``value`` as lxml writes an attribute's value (between double quotes)."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _serialised(elements) -> str:
    """``elements`` as children of an activity (two spaces deeper per level), serialised by
    lxml."""
    if not elements:
        return ""
    holder = Element("x")
    holder.extend(elements)
    text = etree.tostring(holder, pretty_print=True, encoding="unicode")
    return text[len("<x>\n") : -len("</x>\n")]


def _shared_text(lookups: Lookups, key: tuple, make) -> str:
    """``_serialised(make())``, once per file."""
    key = ("iati-text", *key)
    if key not in lookups.memo:
        lookups.memo[key] = _serialised(make())
    return lookups.memo[key]


def _element_xml(indent: str, tag: str, attributes: str, by_language: dict) -> str:
    """An element of narratives (``attributes``: its written attributes, each with a space
    before it)."""
    if not by_language:
        return f"{indent}<{tag}{attributes}/>\n"
    lines = [f"{indent}<{tag}{attributes}>\n"]
    for code, text in by_language.items():
        language = f' xml:lang="{_attribute(code)}"' if code else ""
        lines.append(f"{indent}  <narrative{language}>{_text(text)}</narrative>\n")
    lines.append(f"{indent}</{tag}>\n")
    return "".join(lines)


def activity_xml(initiative, lookups: Lookups) -> str:
    """``activity(initiative, lookups)`` serialised as the file has it (pretty printed, with
    its line end), written from strings."""
    edition_id = initiative.edition_id
    hidden = initiative.hidden
    codes = tuple(country.code for country in initiative.countries)
    recipient = initiative.recipient
    currency = _attribute(initiative.currency)
    updated = last_modified(initiative).isoformat(timespec="seconds")
    identifier = f"{settings.IATI_REPORTING_ORG_REF}-{initiative.local_id}"
    parts = [
        f'<iati-activity last-updated-datetime="{updated}" '
        f'xml:lang="{_attribute(initiative.original_language)}" '
        f'default-currency="{currency}">\n',
        f"  <iati-identifier>{_text(identifier)}</iati-identifier>\n",
        _shared_text(lookups, ("publisher",), lambda: [reporting_org(Element("x"))]),
    ]
    if hidden:
        key = ("iati-label", *codes)  # the same few labels for thousands of grants
        if key not in lookups.memo:
            lookups.memo[key] = in_every_language(lambda: hidden_label(codes))
        label = lookups.memo[key]
        recipient_name = label
        parts.append(_shared_text(lookups, ("label", *codes), lambda: texts_of(label, label)))
    else:
        title = texts(initiative, "title")
        description = texts(initiative, "summary") or texts(initiative, "description") or title
        recipient_name = {None: recipient.name}
        parts.append(_element_xml("  ", "title", "", title))
        parts.append(
            _element_xml("  ", "description", f' type="{DESCRIPTION_GENERAL}"', description)
        )
    parts.append(
        _shared_text(lookups, ("funders", edition_id), lambda: funding(edition_id, lookups))
    )
    ref = f' ref="{_attribute(recipient.identifier)}"' if recipient.identifier else ""
    parts.append(
        _element_xml("  ", "participating-org", f' role="{IMPLEMENTING}"{ref}', recipient_name)
    )
    status = ACTIVITY_STATUS.get(initiative.status, "2")
    parts.append(
        f'  <activity-status code="{status}"/>\n'
        f'  <activity-date type="{PLANNED_START}" '
        f'iso-date="{initiative.period_start.isoformat()}"/>\n'
        f'  <activity-date type="{PLANNED_END}" iso-date="{initiative.period_end.isoformat()}"/>\n'
    )
    themes = tuple(theme.pk for theme in initiative.theme_list)
    parts.append(
        _shared_text(
            lookups,
            ("places", codes, themes),
            lambda: places(codes, initiative.theme_list, lookups),
        )
    )
    receiver = _element_xml("    ", "receiver-org", ref, recipient_name)
    awarded_on = (initiative.awarded_on or initiative.created_at.date()).isoformat()
    transactions = [(COMMITMENT, awarded_on, initiative.amount_awarded, currency)]
    for paid in initiative.paid:
        transactions.append(
            (DISBURSEMENT, paid.paid_on.isoformat(), paid.amount, _attribute(paid.currency))
        )
    for kind, day, amount, in_currency in transactions:
        parts.append(
            "  <transaction>\n"
            f'    <transaction-type code="{kind}"/>\n'
            f'    <transaction-date iso-date="{day}"/>\n'
            f'    <value currency="{in_currency}" value-date="{day}">{_text(str(amount))}</value>\n'
            f"{receiver}"
            "  </transaction>\n"
        )
    if not hidden and initiative.indicator_list:
        holder = Element("x")
        results(holder, initiative)
        parts.append(_serialised(list(holder)))
    parts.append("</iati-activity>\n")
    return "".join(parts)


def write_activities(output: IO[bytes]) -> int:
    """Write every published grant's activity to ``output`` (bytes), one after the other;
    returns the number of activities. No clock in the file: the same data, the same bytes
    (as ``etree.xmlfile`` writes the activities of ``activity``, pretty printed)."""
    count = 0
    lookups = Lookups.load()
    output.write(b"<?xml version='1.0' encoding='utf-8'?>\n<iati-activities version=\"2.03\">")
    for initiative in all_grant_rows(lookups, with_payments=True, with_results=True):
        output.write(activity_xml(initiative, lookups).encode())
        count += 1
    output.write(b"</iati-activities>")
    return count
