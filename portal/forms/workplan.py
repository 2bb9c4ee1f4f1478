"""Forms of the workplan pages: one formset per part of the workplan, and the secretariat's
review. Lines of action are offered as plain choices computed once, so a page with many rows
does not query once per row."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from grants.models import Activity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkplanRowForm(forms.Form):
    """A row of the workplan; ``id`` is empty for a new row."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, required=False, initial=0)
    # Rows of fields, side by side on a wide screen (crispy layout; the formset adds DELETE).
    grid: tuple[tuple[str, ...], ...] = ()

    def __init__(self, *args, lines=(), language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.order_fields([name for name in self.fields if name != "order"] + ["order"])
        if "line_of_action" in self.fields:
            self.fields["line_of_action"].choices = [("", "—"), *lines]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "id",
            *(Row(*(Column(name, css_class="col-md") for name in names)) for names in self.grid),
            Row(
                Column("order", css_class="col-md-3"),
                Column("DELETE", css_class="col-md align-self-center"),
            ),
        )

    def clean_line_of_action(self):
        value = self.cleaned_data.get("line_of_action")
        return int(value) if value else None

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def row(self) -> dict:
        """What ``grants.services.workplan_section_save`` receives for this row."""
        data = dict(self.cleaned_data)
        data["delete"] = data.pop("DELETE", False)
        return data


class LineOfActionForm(WorkplanRowForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    grid = (("title",), ("description",))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Stored in the member's language: say which, since the page may be read in another.
        language = get_language_info(self.language)["name_translated"]
        self.fields["title"].label = _("Title (in %(language)s)") % {"language": language}
        self.fields["description"].label = _("Description (in %(language)s)") % {
            "language": language
        }

    def row(self) -> dict:
        data = super().row()
        # A translated text shown from another language and left as it was is not copied
        # into the member's language.
        for name in ("title", "description"):
            if name not in self.changed_data and data.get("id"):
                data.pop(name)
        return data


class ActivityForm(WorkplanRowForm):
    title = forms.CharField(label=_("Activity"), max_length=250)
    line_of_action = forms.ChoiceField(label=_("Line of action"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=Activity.Status.choices, initial=Activity.Status.PLANNED
    )
    budget = forms.DecimalField(
        label=_("Budget"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    grid = (
        ("title", "line_of_action"),
        ("starts_on", "ends_on", "place"),
        ("status", "budget"),
        ("description",),
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end comes before the start."))
        return cleaned


class BudgetLineForm(WorkplanRowForm):
    category = forms.CharField(label=_("Category"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=250, required=False)
    line_of_action = forms.ChoiceField(label=_("Line of action"), required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    grid = (("category", "amount"), ("description", "line_of_action"))


class IndicatorForm(WorkplanRowForm):
    name = forms.CharField(label=_("Indicator"), max_length=250)
    line_of_action = forms.ChoiceField(label=_("Line of action"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=12, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    grid = (("name", "line_of_action"), ("baseline", "target", "unit"))


class WorkplanFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")


SECTION_FORMS = {
    "lines": LineOfActionForm,
    "activities": ActivityForm,
    "budget": BudgetLineForm,
    "indicators": IndicatorForm,
}
SECTION_FORMSETS = {
    key: forms.formset_factory(form, formset=WorkplanFormSet, extra=1, can_delete=True)
    for key, form in SECTION_FORMS.items()
}

# The fields of each part read from the rows, in the forms' order.
ROW_FIELDS = {
    "lines": ("title", "description", "order"),
    "activities": (
        "title",
        "line_of_action_id",
        "starts_on",
        "ends_on",
        "place",
        "status",
        "budget",
        "description",
        "order",
    ),
    "budget": ("category", "description", "line_of_action_id", "amount", "order"),
    "indicators": ("name", "line_of_action_id", "unit", "baseline", "target", "order"),
}


def workplan_formset(section: str, *, rows, lines, language: str, data=None):
    """The formset of one part of the workplan, filled from its rows (or from ``data``)."""
    initial = []
    # Translated texts are read in the member's language (falling back to the original).
    with translation.override(language):
        for row in rows:
            values = {"id": row.pk}
            for name in ROW_FIELDS[section]:
                values[name.removesuffix("_id")] = getattr(row, name)
            initial.append(values)
    return SECTION_FORMSETS[section](
        data,
        initial=initial,
        prefix=section,
        form_kwargs={"lines": lines, "language": language},
    )


def saved_rows(section: str, *, rows, lines, language: str) -> list[list[tuple[str, str]]]:
    """What is saved now of one part of the workplan, row by row as (label, value) pairs in the
    form's order: shown beside the text of a refused (stale) save to compare with."""
    labels = {
        name: field.label
        for name, field in SECTION_FORMS[section](lines=lines, language=language).fields.items()
    }
    line_titles = {str(pk): title for pk, title in lines}
    formset = workplan_formset(section, rows=rows, lines=lines, language=language)
    shown = []
    for form in formset.initial_forms:
        pairs = []
        for name in ROW_FIELDS[section]:
            key = name.removesuffix("_id")
            value = form.initial.get(key)
            if key == "line_of_action":
                value = line_titles.get(str(value), "")
            elif key == "status" and value:
                value = Activity.Status(value).label
            if value not in (None, ""):
                pairs.append((labels.get(key, key), str(value)))
        shown.append(pairs)
    return shown
