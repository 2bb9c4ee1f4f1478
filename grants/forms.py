"""Forms of the call pages (registering, applying), of the review pages and of the secretariat's
screening, assignment and decision pages. Crispy layouts live here; validation of the workflow
rules lives in the services, which the views call."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, User
from programme.models import ContentLanguage, Edition, Theme

from .files import MAX_UPLOAD_BYTES
from .models import Application, Review

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def helper(*, tag: bool = True, submit: str | None = None, layout=None) -> FormHelper:
    made = FormHelper()
    made.form_tag = tag
    if layout is not None:
        made.layout = layout
    if submit:
        made.add_input(Submit("submit", submit))
    return made


# --- registering an organisation ----------------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    """The organisation profile, reused by every later application of the organisation."""

    description = forms.CharField(
        label=_("Presentation of the organisation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who you are, whom you work with and what you do, in a few paragraphs."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "kind",
            "country",
            "city",
            "founded_year",
            "website",
            "email",
            "original_language",
        ]
        labels = {
            "original_language": _("Language of the presentation"),
            "email": _("Email address of the organisation"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        self.helper = helper(submit=_("Register the organisation"))


class RegistrationForm(OrganisationForm):
    """The organisation profile and its first contact, who becomes its administrator."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("You log in with it; we send a link to confirm it."),
    )
    language = forms.ChoiceField(
        label=_("Your language"),
        choices=ContentLanguage.choices,
        help_text=_("The portal and the emails you receive use this language."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            submit=_("Register"),
            layout=Layout(
                Fieldset(
                    _("Your organisation"),
                    "name",
                    "acronym",
                    "kind",
                    "country",
                    "city",
                    "founded_year",
                    "website",
                    "email",
                    "original_language",
                    "description",
                ),
                Fieldset(
                    _("You, its first contact"),
                    "full_name",
                    "contact_email",
                    "language",
                    "password1",
                    "password2",
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        if first:
            try:
                password_validation.validate_password(
                    first,
                    User(
                        email=cleaned.get("contact_email", ""), full_name=cleaned.get("full_name")
                    ),
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- applying -----------------------------------------------------------------------------------


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
        ]
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
        low, high = edition.grant_minimum, edition.grant_maximum
        if low is not None and high is not None:
            self.fields["requested_amount"].help_text = _(
                "Between %(low)s and %(high)s %(currency)s."
            ) % {
                "low": formats.number_format(low, 0, force_grouping=True),
                "high": formats.number_format(high, 0, force_grouping=True),
                "currency": edition.currency,
            }
        self.fields["requested_amount"].label = _("Requested amount (%(currency)s)") % {
            "currency": edition.currency
        }
        self.helper = helper(
            tag=False,
            layout=Layout(
                Fieldset(_("Project summary"), "title", "language", "summary"),
                Fieldset(_("Countries and places"), "countries", "places"),
                Fieldset(_("Themes"), "themes"),
                HTML('{% include "calls/includes/lines_of_action.html" %}'),
                Fieldset(_("Expected results"), "expected_results"),
                Fieldset(_("Budget"), "requested_amount", "budget_outline"),
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
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
    file_description = forms.CharField(
        label=_("What the document is"), max_length=250, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the visitor's language (not once, at import).
        self.fields["file"].help_text = _(
            "PDF, Word (.docx) or Excel (.xlsx), %(size)s MB at most."
        ) % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        self.helper = helper(tag=False)


class CommentForm(forms.Form):
    """A free text, optional or required (the reason of a withdrawal, a question...)."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label=None, required: bool = True, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label
        self.helper = helper(submit=submit, tag=submit is not None)


# --- reviewing ----------------------------------------------------------------------------------


class ConflictForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[
            ("none", _("No: I have no conflict of interest with this applicant.")),
            (
                "conflict",
                _("Yes: I work for or with this applicant, or have another interest in it."),
            ),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the secretariat (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(submit=_("Declare"))


class ReviewForm(forms.Form):
    """A score per criterion (1 to its highest score), a recommendation and a comment."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment for the secretariat"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        names = []
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            names.append(name)
            self.fields[name] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": f"{criterion.weight.normalize():f}"},
                help_text=criterion.description,
                choices=[("", _("Not scored yet"))]
                + [(n, str(n)) for n in range(1, criterion.max_score + 1)],
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.order_fields([*names, "recommendation", "comment"])
        self.helper = helper(tag=False)

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


# --- the secretariat ----------------------------------------------------------------------------


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
