"""Forms of an organisation's payments: its bank details (administrators and signatories) and
the amount a paid tranche brought to its account (any member)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from organisations.models import PayeeDetailsVersion


def _label(name: str) -> str:
    # Verbose names are lower case (the back office capitalises them itself); labels are not.
    return capfirst(PayeeDetailsVersion._meta.get_field(name).verbose_name)


class PayeeDetailsForm(forms.Form):
    """Bank details for international transfers. The account number is never shown in full
    again: left empty, the one saved is kept."""

    account_holder = forms.CharField(label=_label("account_holder"), max_length=200)
    bank_name = forms.CharField(label=_label("bank_name"), max_length=200)
    account_number = forms.CharField(
        label=_label("account_number"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    swift_bic = forms.CharField(label=_label("swift_bic"), max_length=11, required=False)
    bank_address = forms.CharField(
        label=_label("bank_address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    country = forms.ChoiceField(label=_label("country"))
    currency = forms.CharField(
        label=_label("currency"),
        max_length=3,
        min_length=3,
        help_text=_("ISO 4217 code, for example USD or EUR."),
    )
    notes = forms.CharField(
        label=_label("notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An intermediary bank, a routing or sort code, anything the transfer needs."),
    )
    # The version of the details when the page was read (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, current: PayeeDetailsVersion | None, version: int, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", version)
        if current is not None:
            for name in ("account_holder", "bank_name", "swift_bic", "bank_address", "notes"):
                initial.setdefault(name, getattr(current, name))
            initial.setdefault("country", current.country.code)
            initial.setdefault("currency", current.currency)
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *countries]
        self.fields["swift_bic"].help_text = _(
            "8 or 11 letters and digits, for international transfers."
        )
        if current is not None:
            self.fields["account_number"].required = False
            self.fields["account_number"].help_text = _(
                "Leave empty to keep the number saved (%(masked)s)."
            ) % {"masked": current.masked_account_number}
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the bank details")))


class ReceivedForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received"), max_digits=12, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency received"),
        max_length=3,
        min_length=3,
        help_text=_("ISO 4217 code, for example USD or EUR."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Confirm the amount received")))
