"""Forms of applying: the eligibility questions, the application's sections, its lines of
action and documents."""

from __future__ import annotations

from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import ACCEPT, accepted_help
from core.forms import form_helper as helper
from core.models import ContentLanguage
from grants.models import Application
from organisations.models import Organisation
from programme.models import Edition, Theme

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityForm(forms.Form):
    """One yes/no question per eligibility question of the edition."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.ChoiceField(
                label=question.text, choices=YES_NO, widget=forms.RadioSelect
            )
        self.helper = helper(tag=False)

    def answers(self) -> dict[str, bool]:
        return {
            str(question.pk): self.cleaned_data[f"question_{question.pk}"] == "yes"
            for question in self.questions
        }

    @staticmethod
    def initial_from(answers: dict) -> dict:
        return {f"question_{k}": "yes" if v else "no" for k, v in (answers or {}).items()}


class StartForm(EligibilityForm):
    """The first step: which organisation applies, the project's title, then eligibility."""

    organisation = forms.ModelChoiceField(
        label=_("Apply for"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Project title"), max_length=250)
    language = forms.ChoiceField(
        label=_("Language of the application"),
        choices=ContentLanguage.choices,
        help_text=_("Write in the language you are most at ease in."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        # Fields first, then the questions: the order the applicant reads them in.
        self.order_fields(["organisation", "title", "language"])


class ApplicationForm(forms.ModelForm):
    """The application's sections. Nothing is required while it is a draft: the service checks
    completeness at submission, so a half-written application can always be saved."""

    class Meta:
        model = Application
        fields = [
            "title",
            "language",
            "summary",
            "countries",
            "places",
            "themes",
            "expected_results",
            "requested_amount",
            "budget_outline",
            "is_at_risk_requested",
        ]
        labels = {
            "is_at_risk_requested": _(
                "Do not name our organisation in public: show it as “a community organisation” "
                "in our country"
            ),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "expected_results": forms.Textarea(attrs={"rows": 6}),
            "budget_outline": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": _("What the project will do, with whom, and why it matters."),
            "places": _("Cities, regions or communities where the work will happen."),
            "expected_results": _("What will have changed at the end of the project."),
            "budget_outline": _("The main costs, for example: venue 800, travel 1,200, ..."),
        }

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["countries"].widget.attrs["size"] = 8
        self.fields["countries"].help_text = _(
            "Hold Ctrl (or Cmd on a Mac) to choose several countries."
        )
        themes = edition.themes.all()
        self.fields["themes"].queryset = themes if themes.exists() else Theme.objects.all()
        self.fields["requested_amount"].help_text = edition.grant_range_text
        self.fields["requested_amount"].label = _("Requested amount (%(currency)s)") % {
            "currency": edition.currency
        }
        self.helper = helper(
            tag=False,
            layout=Layout(
                Fieldset(_("Project summary"), "title", "language", "summary"),
                Fieldset(_("Countries and places"), "countries", "places"),
                Fieldset(_("Themes"), "themes"),
                HTML('{% include "portal/applications/includes/lines_of_action.html" %}'),
                Fieldset(_("Expected results"), "expected_results"),
                Fieldset(_("Budget"), "requested_amount", "budget_outline"),
                Fieldset(_("Safety"), "is_at_risk_requested"),
            ),
        )


class LineOfActionForm(forms.Form):
    title = forms.CharField(label=_("Line of action"), max_length=250, required=False)
    description = forms.CharField(
        label=_("What you will do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


LinesOfActionFormSet = forms.formset_factory(LineOfActionForm, extra=0)


def lines_formset(data=None, *, lines: list[dict]) -> forms.BaseFormSet:
    """The lines of action already written plus two blank rows (at least four rows): no script
    is needed to add one."""
    rows = max(len(lines) + 2, 4)
    initial = [
        {"title": line.get("title", ""), "description": line.get("description", "")}
        for line in lines
    ]
    initial += [{} for _n in range(rows - len(initial))]
    formset = LinesOfActionFormSet(data, initial=initial, prefix="lines")
    formset.helper = helper(tag=False)
    return formset


def lines_from(formset) -> list[dict]:
    return [
        {
            "title": form.cleaned_data["title"].strip(),
            "description": form.cleaned_data["description"].strip(),
        }
        for form in formset.forms
        if form.cleaned_data.get("title", "").strip() or form.cleaned_data.get("description", "")
    ]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    file_description = forms.CharField(
        label=_("What the document is"), max_length=250, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the visitor's language (not once, at import).
        self.fields["file"].help_text = accepted_help()
        self.helper = helper(tag=False)
