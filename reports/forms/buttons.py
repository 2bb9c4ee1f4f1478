"""Buttons of the portal's forms."""

from crispy_forms.layout import Submit


class SecondarySubmit(Submit):
    """A less prominent submit button. Crispy's ``css_class`` adds to "btn btn-primary", and
    two colour classes together fail the contrast check: this replaces them."""

    field_classes = "btn btn-outline-dark"
