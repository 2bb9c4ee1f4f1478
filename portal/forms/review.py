"""Forms of the review pages: the conflict-of-interest declaration and the scores."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import form_helper as helper
from grants.models import Review


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
