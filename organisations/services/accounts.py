"""Writes about people's accounts that are not about an organisation: the password-reset email."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from notifications.services import notify

from .. import notifications as kinds


def password_reset_send(*, user, uidb64: str, token: str) -> None:
    """Record the email with the link to choose a new password, in the person's language; it
    goes out after commit, like every notification, and is listed in the outbox (its link
    hidden). Each token is a notification of its own."""
    with translation.override(user.language):
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    notify(
        kind=kinds.PASSWORD_RESET,
        key=f"password_reset:{token}",
        recipient=user,
        path=path,
        context={},
    )
