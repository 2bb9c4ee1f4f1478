"""Forms of registering an organisation (with its first contact, or by someone logged in)."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from core.forms import form_helper as helper
from core.models import ContentLanguage
from organisations.models import Organisation, User


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
