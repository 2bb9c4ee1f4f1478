"""Forms of everyone's account (accepting an invitation, the profile, a password reset) and
of an organisation's own pages (its profile, inviting a colleague, members' roles)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.models import ContentLanguage
from organisations.models import Membership, Organisation, User
from organisations.services import password_reset_send


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=ContentLanguage.choices,
        help_text=_("The portal and the emails you receive use this language."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Join the organisation")))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        if first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class OrganisationProfileForm(forms.Form):
    """What members edit of their organisation: its presentation, in their language, and
    its contacts."""

    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who you are and what you do, in a few paragraphs."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Contact email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    # The profile's version when the page was read (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, organisation: Organisation, language: str, proposed=None, **kwargs):
        # ``proposed``: the columns of the pending proposal (what members typed and the
        # secretariat has not approved yet), shown in place of what the public reads.
        proposed = proposed or {}
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", organisation.version)
        column = f"description_{language}"
        initial.setdefault("description", proposed.get(column, getattr(organisation, column) or ""))
        for name in ("website", "email", "phone", "city"):
            initial.setdefault(name, proposed.get(name, getattr(organisation, name)))
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Presentation (in %(language)s)") % {
            "language": get_language_info(language)["name_translated"]
        }
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the profile")))


class InviteColleagueForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_(
            "Administrators invite and remove members and set their roles; signatories sign "
            "the grant agreement for the organisation."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=ContentLanguage.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", _("Send the invitation")))


class MemberRoleForm(forms.Form):
    """An administrator sets a member's role (a row of the members' table)."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class NotifyingPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, whose email goes through the notifications app like
    every other: recorded in the outbox, sent after commit in the person's language."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        password_reset_send(user=context["user"], uidb64=context["uid"], token=context["token"])
