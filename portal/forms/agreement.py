"""The grant agreement's forms: a signatory accepts it (full name typed, the box ticked) or sends
a signed scan. Both carry the SHA-256 of the version shown, which the service compares with the
version issued."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import human_size, max_bytes

SHA256 = {"widget": forms.HiddenInput, "max_length": 64}


class AgreementSignForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typed as your signature; it is recorded with the date and your address."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )
    sha256 = forms.CharField(**SHA256)

    def __init__(self, *args, agreement, organisation: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept"].label = _(
            "I have read this agreement and I accept it on behalf of %(organisation)s."
        ) % {"organisation": organisation}
        self.helper = FormHelper()
        self.helper.form_action = reverse("portal:agreement_sign", kwargs={"pk": agreement.pk})
        self.helper.add_input(Submit("sign", _("Sign the agreement")))


class AgreementScanForm(forms.Form):
    file = forms.FileField(
        label=_("Signed scan"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    sha256 = forms.CharField(**SHA256)

    def __init__(self, *args, agreement, **kwargs):
        # On the same page as the signing form: ids of its own.
        kwargs.setdefault("auto_id", "scan_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The agreement printed, signed and scanned: PDF, JPEG or PNG, %(limit)s at most."
        ) % {"limit": human_size(max_bytes())}
        self.helper = FormHelper()
        self.helper.form_action = reverse("portal:agreement_scan", kwargs={"pk": agreement.pk})
        self.helper.add_input(Submit("send", _("Send the signed scan")))
