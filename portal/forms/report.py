"""The report form, the attachment form and the secretariat's review form.

The report form has one group of fields per row of the workplan (line of action, activity,
indicator, budget line). Its template lays the groups out with ``as_crispy_field``: a crispy
``Layout`` renders legends as templates, which must never hold text that grantees typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import ACCEPT, accepted_help
from grants.models import Activity
from reports.models import Report
from reports.services import ReportContent

TEXTAREA = {"rows": 5}
NOTE = {"rows": 2}


@dataclass
class ActivityRow:
    activity: Activity
    status: forms.BoundField
    percent: forms.BoundField
    note: forms.BoundField


@dataclass
class ValueRow:
    indicator: object
    value: forms.BoundField
    note: forms.BoundField


@dataclass
class SpendingRow:
    budget_line: object
    amount: forms.BoundField
    note: forms.BoundField
    spent: Decimal = Decimal("0")

    @property
    def difference(self) -> Decimal:
        return self.budget_line.amount - self.spent


@dataclass
class Workplan:
    """The workplan rows a report refers to, loaded once (a constant number of queries)."""

    lines: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    budget_lines: list = field(default_factory=list)

    @classmethod
    def of(cls, initiative) -> Workplan:
        return cls(
            lines=list(initiative.lines_of_action.all()),
            activities=list(initiative.activities.select_related("line_of_action")),
            indicators=list(initiative.indicators.all()),
            budget_lines=list(initiative.budget_lines.all()),
        )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value or "0").replace(",", "."))
    except InvalidOperation:
        return Decimal("0")


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    challenges = forms.CharField(
        label=_("Challenges"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What was difficult, and how you dealt with it."),
    )
    lessons = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What you would do again, or differently."),
    )
    highlights = forms.CharField(
        label=_("Highlights"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_(
            "A few lines the secretariat may publish on the programme's website: a result, a "
            "story, a quote."
        ),
    )

    def __init__(self, *args, report: Report, workplan: Workplan, **kwargs):
        self.report = report
        self.workplan = workplan
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", report.version)
        for name in ("challenges", "lessons", "highlights"):
            initial.setdefault(name, getattr(report, name))
        narratives = {n.line_of_action_id: n.text for n in report.narratives.all()}
        progress = {p.activity_id: p for p in report.activity_progress.all()}
        values = {v.indicator_id: v for v in report.indicator_values.all()}
        spending = {s.budget_line_id: s for s in report.spending.all()}
        for line in workplan.lines:
            initial.setdefault(f"narrative_{line.pk}", narratives.get(line.pk, ""))
        for activity in workplan.activities:
            row = progress.get(activity.pk)
            initial.setdefault(
                f"activity_{activity.pk}_status", row.status if row else activity.status
            )
            initial.setdefault(
                f"activity_{activity.pk}_percent", row.percent_complete if row else 0
            )
            initial.setdefault(f"activity_{activity.pk}_note", row.note if row else "")
        for indicator in workplan.indicators:
            row = values.get(indicator.pk)
            initial.setdefault(f"indicator_{indicator.pk}_value", row.value if row else None)
            initial.setdefault(f"indicator_{indicator.pk}_note", row.note if row else "")
        for line in workplan.budget_lines:
            row = spending.get(line.pk)
            initial.setdefault(f"spending_{line.pk}_amount", row.amount if row else None)
            initial.setdefault(f"spending_{line.pk}_note", row.note if row else "")
        super().__init__(*args, **kwargs)
        self._add_fields()

    def _add_fields(self) -> None:
        for line in self.workplan.lines:
            self.fields[f"narrative_{line.pk}"] = forms.CharField(
                label=line.title,
                required=False,
                widget=forms.Textarea(attrs=TEXTAREA),
                help_text=_("What you did under this line of action during the period."),
            )
        for activity in self.workplan.activities:
            prefix = f"activity_{activity.pk}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=_("Status"), choices=Activity.Status.choices
            )
            self.fields[f"{prefix}_percent"] = forms.IntegerField(
                label=_("Percent complete"), min_value=0, max_value=100, required=False
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE)
            )
        for indicator in self.workplan.indicators:
            prefix = f"indicator_{indicator.pk}"
            self.fields[f"{prefix}_value"] = forms.DecimalField(
                label=_("Value reached"), required=False, max_digits=12, decimal_places=2
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE)
            )
        for line in self.workplan.budget_lines:
            prefix = f"spending_{line.pk}"
            self.fields[f"{prefix}_amount"] = forms.DecimalField(
                label=_("Spent (%(currency)s)") % {"currency": self.report.initiative.currency},
                required=False,
                min_value=Decimal("0"),
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"{prefix}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.Textarea(attrs=NOTE)
            )

    # --- what the template lays out ---------------------------------------------------------

    @property
    def narrative_rows(self) -> list[tuple[object, forms.BoundField]]:
        return [(line, self[f"narrative_{line.pk}"]) for line in self.workplan.lines]

    @property
    def activity_rows(self) -> list[ActivityRow]:
        return [
            ActivityRow(
                activity,
                self[f"activity_{activity.pk}_status"],
                self[f"activity_{activity.pk}_percent"],
                self[f"activity_{activity.pk}_note"],
            )
            for activity in self.workplan.activities
        ]

    @property
    def value_rows(self) -> list[ValueRow]:
        return [
            ValueRow(
                indicator,
                self[f"indicator_{indicator.pk}_value"],
                self[f"indicator_{indicator.pk}_note"],
            )
            for indicator in self.workplan.indicators
        ]

    @property
    def spending_rows(self) -> list[SpendingRow]:
        rows = []
        for line in self.workplan.budget_lines:
            amount = self[f"spending_{line.pk}_amount"]
            rows.append(
                SpendingRow(
                    line, amount, self[f"spending_{line.pk}_note"], _decimal(amount.value())
                )
            )
        return rows

    @property
    def spending_totals(self) -> dict[str, Decimal]:
        rows = self.spending_rows
        budget = sum((row.budget_line.amount for row in rows), Decimal("0"))
        spent = sum((row.spent for row in rows), Decimal("0"))
        return {"budget": budget, "spent": spent, "difference": budget - spent}

    # --- what the service receives ----------------------------------------------------------

    def content(self) -> ReportContent:
        data = self.cleaned_data
        return ReportContent(
            narratives={line.pk: data[f"narrative_{line.pk}"] for line in self.workplan.lines},
            progress={
                a.pk: {
                    "status": data[f"activity_{a.pk}_status"],
                    "percent_complete": data[f"activity_{a.pk}_percent"] or 0,
                    "note": data[f"activity_{a.pk}_note"],
                }
                for a in self.workplan.activities
            },
            indicators={
                i.pk: {
                    "value": data[f"indicator_{i.pk}_value"],
                    "note": data[f"indicator_{i.pk}_note"],
                }
                for i in self.workplan.indicators
            },
            spending={
                b.pk: {
                    "amount": data[f"spending_{b.pk}_amount"] or Decimal("0"),
                    "note": data[f"spending_{b.pk}_note"],
                }
                for b in self.workplan.budget_lines
            },
            challenges=data["challenges"],
            lessons=data["lessons"],
            highlights=data["highlights"],
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File or photo"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=400,
        required=False,
        help_text=_("For a photo: what it shows, where and when."),
    )
    is_publishable = forms.BooleanField(
        label=_("The people shown agreed that this photo may be published"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the person's language (not once, at import).
        self.fields["file"].help_text = accepted_help()
        self.helper = FormHelper()
        self.helper.add_input(Submit("upload", _("Add the file")))
