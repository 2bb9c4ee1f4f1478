"""Forms of the light track: the one-page application, the bank details, the one-page report."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import form_helper as helper
from core.models import ContentLanguage

PAYEE = ("account_holder", "bank_name", "account_number", "swift_bic")


def no_formula(value: str) -> None:
    """These values go into the bank's spreadsheet: one that starts like a formula is refused
    (a spreadsheet would run it)."""
    if value and value.lstrip()[:1] in ("=", "+", "-", "@"):
        raise ValidationError(_("Start with a letter or a digit, not with =, +, - or @."))


class PayeeFields(forms.Form):
    account_holder = forms.CharField(
        label=_("Account holder"), max_length=200, validators=[no_formula]
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=200, validators=[no_formula])
    account_number = forms.CharField(
        label=_("Account number or IBAN"), max_length=64, validators=[no_formula]
    )
    swift_bic = forms.CharField(
        label=_("SWIFT/BIC"), max_length=11, required=False, validators=[no_formula]
    )


class LightApplicationForm(PayeeFields):
    """The one-page form: the group, where and when, what, how many, how much, where to pay."""

    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send a link to confirm it; the same link brings you back later."),
    )
    language = forms.ChoiceField(label=_("Language of our emails"), choices=ContentLanguage.choices)
    group_name = forms.CharField(
        label=_("Name of your group"), max_length=200, validators=[no_formula]
    )
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=120, validators=[no_formula])
    planned_action = forms.CharField(
        label=_("Planned action"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What you will do on the day, where, and with whom (2,000 characters at most)."
        ),
    )
    action_date = forms.DateField(
        label=_("Date of the action"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), min_value=1, max_value=1_000_000
    )
    amount = forms.DecimalField(
        label=_("Amount requested"), max_digits=12, decimal_places=2, min_value=0
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["amount"].help_text = edition.grant_range_text
        self.fields["amount"].label = _("Amount requested (%(currency)s)") % {
            "currency": edition.currency
        }
        self.helper = helper(tag=False)
        self.helper.layout = Layout(
            Fieldset(_("Your group"), "group_name", "email", "language", "country", "city"),
            Fieldset(
                _("Your action"),
                "planned_action",
                "action_date",
                "expected_participants",
                "amount",
            ),
            Fieldset(_("Where to send the grant"), *PAYEE),
        )


class PayeeForm(PayeeFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(tag=False)


class LightReportForm(forms.Form):
    text = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=1_000_000)
    link = forms.URLField(
        label=_("A link (a post, an article, a video)"), required=False, assume_scheme="https"
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption of the photo"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("The people in the photo agree to its publication on the public map"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(tag=False)

    def photos(self) -> list[tuple[object, str, bool]]:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return []
        return [(photo, self.cleaned_data["caption"], self.cleaned_data["consent"])]
