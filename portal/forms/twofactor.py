"""Forms of the second factor (staff): a code after the password, the code that confirms a new
authenticator app, the code that makes new recovery codes. Whether a code is right is for
``organisations.twofactor`` to say; these only take what was typed."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class _CodeForm(forms.Form):
    submit_label = ""

    code = forms.CharField(
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class VerifyCodeForm(_CodeForm):
    """After the password: a code from the app, or one of the recovery codes."""

    submit_label = _("Verify")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code")
        self.fields["code"].help_text = _(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        )


class AppCodeForm(_CodeForm):
    """A code from the authenticator app only: to confirm it, or to make new recovery codes."""

    submit_label = _("Confirm")

    def __init__(self, *args, submit_label=None, autofocus=True, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        if not autofocus:
            self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["code"].label = _("Code from the app")
        self.fields["code"].help_text = _("The 6 digits your authenticator app shows now.")
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "pattern": r"[0-9 ]*"})
