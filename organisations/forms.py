"""Account forms the back office and the portal share: logging in with an email address
(throttled after repeated wrong passwords), and the back office's invitation form."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership

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
