"""Accounts (namespace "accounts"), under /<lang>/accounts/: log in with an email address,
reset a password, accept an invitation, the profile, the second factor of staff accounts. A
person's notifications are at /<lang>/accounts/notifications/ (the notifications app's)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ..forms.accounts import NotifyingPasswordResetForm
from ..views import accounts, twofactor

app_name = "accounts"

TEMPLATES = "portal/accounts"

urlpatterns = [
    path("login/", accounts.EmailLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", accounts.profile, name="profile"),
    # The second factor of staff accounts (portal.views.twofactor).
    path("two-factor/", twofactor.verify, name="twofactor_verify"),
    path("two-factor/setup/", twofactor.setup, name="twofactor_setup"),
    path("two-factor/recovery-codes/", twofactor.recovery_codes, name="twofactor_recovery_codes"),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=NotifyingPasswordResetForm,
            template_name=f"{TEMPLATES}/password_reset_form.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=f"{TEMPLATES}/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(
            template_name=f"{TEMPLATES}/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=f"{TEMPLATES}/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=f"{TEMPLATES}/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=f"{TEMPLATES}/password_change_done.html"
        ),
        name="password_change_done",
    ),
]
