"""Forms of the accounts pages: log in, accept an invitation, profile."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from programme.models import ContentLanguage

from .models import Invitation, Membership, Organisation, User

LOGIN_FAILURES_ALLOWED = 5  # per address, and 4 times that per network address
LOGIN_LOCKOUT_SECONDS = 15 * 60


class ThrottledLoginMixin:
    """Refuse further attempts for a while after repeated wrong passwords, counted per email
    address and per network address in the cache (shared by every worker in production)."""

    def _throttle_keys(self) -> list[tuple[str, int]]:
        email = str(self.data.get("username", "")).strip().lower()
        remote = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return [
            (f"login-failures:email:{email}", LOGIN_FAILURES_ALLOWED),
            (f"login-failures:ip:{remote}", LOGIN_FAILURES_ALLOWED * 4),
        ]

    def clean(self):
        keys = self._throttle_keys()
        if any((cache.get(key) or 0) >= limit for key, limit in keys):
            raise forms.ValidationError(
                _(
                    "Too many failed attempts to log in. Wait 15 minutes and try again, or "
                    "reset your password."
                ),
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key, _limit in keys:
                cache.add(key, 0, LOGIN_LOCKOUT_SECONDS)
                cache.incr(key)
            raise
        cache.delete(keys[0][0])
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The back office's login form, with the same protection as the portal's."""


class EmailAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in")))


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

    def __init__(self, *args, organisation: Organisation, language: str, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("description", getattr(organisation, f"description_{language}") or "")
        for name in ("website", "email", "phone", "city"):
            initial.setdefault(name, getattr(organisation, name))
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
        help_text=_("Administrators can invite and remove members."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=ContentLanguage.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", _("Send the invitation")))


class InvitationAdminForm(forms.ModelForm):
    """The back office's invitation form: who, to which organisation, in which language. The
    token and the dates are set by ``invitation_create``, which also sends the email."""

    class Meta:
        model = Invitation
        fields = ["organisation", "email", "role", "language"]

    def clean(self):
        cleaned = super().clean()
        organisation, email = cleaned.get("organisation"), cleaned.get("email")
        if (
            organisation
            and email
            and Membership.objects.filter(
                organisation=organisation, user__email__iexact=email
            ).exists()
        ):
            self.add_error("email", _("This person is already a member of the organisation."))
        return cleaned

    def validate_constraints(self):
        # Inviting again replaces the open invitation (a fresh link): the "one open invitation
        # per address" rule holds after invitation_create, not against the row it replaces.
        pass
