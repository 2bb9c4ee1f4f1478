"""Account forms the back office and the portal share: logging in with an email address
(throttled after repeated wrong passwords), and the back office's invitation form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership
from .throttle import Attempt


class ThrottledLoginMixin:
    """Refuse further attempts for a while after repeated wrong passwords (see
    ``organisations.throttle``): per account and address, per address, and per account from
    browsers it does not know."""

    def clean(self):
        attempt = Attempt.of(self.request, str(self.data.get("username", "")))
        if attempt.is_refused():
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
            attempt.failed()
            raise
        attempt.succeeded()
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
