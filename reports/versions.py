"""Frozen copies of a report (``ReportVersion.content``) and their comparison section by section.

A copy holds the text of every section with the names it had then (a line of action renamed
later still reads as it was), so any two versions can be compared without the workplan.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grants.models import Activity

from .models import Report, ReportSection


def _text(value) -> str:
    return "" if value is None else str(value)


def snapshot(report: Report) -> dict:
    """The report's content now, as JSON values."""
    # Read by key (one row per report and line, activity, indicator or budget line), so in no
    # order: the models' orderings would join the report and the workplan's rows to each.
    narratives = {n.line_of_action_id: n.text for n in report.narratives.order_by()}
    progress = {p.activity_id: p for p in report.activity_progress.order_by()}
    values = {v.indicator_id: v for v in report.indicator_values.order_by()}
    spending = {s.budget_line_id: s for s in report.spending.order_by()}
    initiative = report.initiative
    return {
        "language": report.language,
        "currency": initiative.currency,
        "narratives": [
            {"id": line.pk, "title": line.title, "text": narratives.get(line.pk, "")}
            for line in initiative.lines_of_action.all()
        ],
        "activities": [
            {
                "id": activity.pk,
                "title": activity.title,
                "status": progress[activity.pk].status if activity.pk in progress else "",
                "percent_complete": (
                    progress[activity.pk].percent_complete if activity.pk in progress else None
                ),
                "note": progress[activity.pk].note if activity.pk in progress else "",
            }
            for activity in initiative.activities.all()
        ],
        "indicators": [
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "target": _text(indicator.target),
                "value": _text(values[indicator.pk].value) if indicator.pk in values else "",
                "note": values[indicator.pk].note if indicator.pk in values else "",
            }
            for indicator in initiative.indicators.all()
        ],
        "spending": [
            {
                "id": line.pk,
                "category": line.category,
                "description": line.description,
                "budget": _text(line.amount),
                "amount": _text(spending[line.pk].amount) if line.pk in spending else "",
                "note": spending[line.pk].note if line.pk in spending else "",
            }
            for line in initiative.budget_lines.all()
        ],
        "challenges": report.challenges,
        "lessons": report.lessons,
        "highlights": report.highlights,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "kind": attachment.kind,
                "caption": attachment.caption,
                "is_publishable": attachment.is_publishable,
            }
            for attachment in report.attachments.all()
        ],
    }


def _status_label(value: str) -> str:
    return str(Activity.Status(value).label) if value in Activity.Status.values else value


def section_texts(content: dict) -> list[tuple[str, str, str]]:
    """(key, label, text) of every section of a frozen copy, in the order of the form."""
    currency = content.get("currency", "")
    sections = []
    for line in content.get("narratives", []):
        sections.append(
            (
                f"narrative:{line['id']}",
                _("Narrative: %(line)s") % {"line": line["title"]},
                line["text"],
            )
        )
    activities = [
        " — ".join(
            part
            for part in (
                item["title"],
                _status_label(item["status"]),
                f"{item['percent_complete']}%" if item["percent_complete"] is not None else "",
                item["note"],
            )
            if part
        )
        for item in content.get("activities", [])
    ]
    indicators = [
        " — ".join(
            part
            for part in (
                item["name"],
                _("%(value)s of %(target)s %(unit)s")
                % {"value": item["value"] or "–", "target": item["target"], "unit": item["unit"]},
                item["note"],
            )
            if part
        )
        for item in content.get("indicators", [])
    ]
    spending = [
        " — ".join(
            part
            for part in (
                item["category"],
                _("%(amount)s of %(budget)s %(currency)s")
                % {"amount": item["amount"] or "–", "budget": item["budget"], "currency": currency},
                item["note"],
            )
            if part
        )
        for item in content.get("spending", [])
    ]
    attachments = [
        " — ".join(
            part
            for part in (
                item["name"],
                item["caption"],
                _("may be published") if item["is_publishable"] else "",
            )
            if part
        )
        for item in content.get("attachments", [])
    ]
    labels = dict(ReportSection.choices)
    sections += [
        ("activities", str(labels["activities"]), "\n".join(activities)),
        ("indicators", str(labels["indicators"]), "\n".join(indicators)),
        ("spending", str(labels["spending"]), "\n".join(spending)),
        ("challenges", str(labels["challenges"]), content.get("challenges", "")),
        ("lessons", str(labels["lessons"]), content.get("lessons", "")),
        ("highlights", str(labels["highlights"]), content.get("highlights", "")),
        ("attachments", str(labels["attachments"]), "\n".join(attachments)),
    ]
    return sections


TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class SectionDiff:
    key: str
    label: str
    changed: bool
    # (kind, text) pieces: kind is "equal", "insert" or "delete".
    pieces: list[tuple[str, str]] = field(default_factory=list)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word by word: what stayed, what was removed, what was added."""
    before, after = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("equal", "".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(("delete", "".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(("insert", "".join(after[j1:j2])))
    return pieces


def compare(old: dict, new: dict) -> list[SectionDiff]:
    """Every section of either copy, with its word-level differences."""
    old_sections = {key: (label, text) for key, label, text in section_texts(old)}
    result = []
    seen = set()
    for key, label, text in section_texts(new):
        seen.add(key)
        before = old_sections.get(key, (label, ""))[1]
        result.append(SectionDiff(key, label, before != text, diff_text(before, text)))
    for key, (label, text) in old_sections.items():
        if key not in seen:  # a line of action since removed
            result.append(SectionDiff(key, label, bool(text), diff_text(text, "")))
    return result
