"""Forms of the secretariat's screens: reviewing workplans and reports, assigning reviewers,
deciding on applications."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SecondarySubmit
from organisations.models import User
from reports.models import ReportSection


class WorkplanReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what should change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("approve", _("Approve the workplan")))
        self.helper.add_input(SecondarySubmit("request_changes", _("Request changes")))


class ReportReviewForm(forms.Form):
    """The secretariat's decision: accept, or request changes with comments per section."""

    comment = forms.CharField(
        label=_("General comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the organisation with your decision."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ReportSection.choices:
            self.fields[f"section_{key}"] = forms.CharField(
                label=_("Comment on “%(section)s”") % {"section": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def section_field(self, key: str) -> forms.BoundField:
        return self[f"section_{key}"]

    def section_comments(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"section_{key}"]
            for key in ReportSection.values
            if self.cleaned_data.get(f"section_{key}", "").strip()
        }


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The panel: members of the Reviewer group."),
    )
    per_application = forms.IntegerField(
        label=_("Reviewers per application (at least)"), min_value=1, max_value=20
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers


class DecisionForm(forms.Form):
    DECISIONS = [
        ("", _("No decision now")),
        ("approve", _("Approve")),
        ("decline", _("Decline")),
    ]
    application = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01, required=False
    )
    period_start = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == "approve":
            for name in ("amount", "period_start", "period_end"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Required to approve."))
        if decision == "decline" and not cleaned.get("message", "").strip():
            self.add_error("message", _("Required to decline: the applicant reads it."))
        return cleaned


DecisionFormSet = forms.formset_factory(DecisionForm, extra=0)


class ResultsForm(forms.Form):
    """What the public page of an initiative shows of its accepted final report. The template
    draws the photos' boxes itself (a photo without consent has a disabled one); the service
    refuses such a photo whatever is sent."""

    highlights = forms.BooleanField(label=_("Publish the highlights"), required=False)
    photos = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = [(photo.pk, photo.original_name) for photo in photos]


class ImportForm(forms.Form):
    """The spreadsheet of past editions the secretariat imports (see ``services.imports``)."""

    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("One row per initiative, with the columns of the template."),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm the erasure: the name is replaced everywhere, and it cannot be undone."),
    )
