"""What the project's forms share: a crispy helper, the comment form, a secondary button."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


def form_helper(*, tag: bool = True, submit: str | None = None, layout=None) -> FormHelper:
    made = FormHelper()
    made.form_tag = tag
    if layout is not None:
        made.layout = layout
    if submit:
        made.add_input(Submit("submit", submit))
    return made


class SecondarySubmit(Submit):
    """A less prominent submit button. Crispy's ``css_class`` adds to "btn btn-primary", and
    two colour classes together fail the contrast check: this replaces them."""

    field_classes = "btn btn-outline-dark"


class CommentForm(forms.Form):
    """A free text, required or not: a reason, a question, a comment sent to an organisation."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label=None, required: bool = True, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label
        self.helper = form_helper(submit=submit, tag=submit is not None)


def read_version(data, default: int = -1) -> int:
    """The version a form was read at, from its hidden ``version`` field (optimistic locking).

    A missing or altered value reads as ``default`` (-1 unless told: no row has it, so the save
    is refused as stale, never applied blindly)."""
    value = str(data.get("version", "")).strip()
    return int(value) if value.isdigit() else default
