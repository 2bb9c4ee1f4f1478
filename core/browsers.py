"""Browsers known to an account: a signed, long-lived cookie naming the accounts someone logged
into with this browser (their hashed email addresses, never the addresses themselves).

The login throttle lets a known browser through when strangers' guesses have made the account
wary of the others (``organisations.throttle``); keeping a form typed after the session
expired is offered only to a browser that logged in before (``core.views``), so that anonymous
clients cannot fill the session store.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing

KNOWN_COOKIE = "known_logins"
KNOWN_SALT = "core.browsers.known"
KNOWN_MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 20


def account_key(email: str) -> str:
    """A stable, non-reversible name for an account in keys and cookies."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def known_accounts(request) -> set[str]:
    """The accounts this browser logged into before (from the signed cookie)."""
    value = request.COOKIES.get(KNOWN_COOKIE, "")
    try:
        return set(signing.loads(value, salt=KNOWN_SALT, max_age=KNOWN_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return set()


def remember_browser(request, response, email: str) -> None:
    """After a successful login: this browser is known to the account from now on."""
    accounts = known_accounts(request) | {account_key(email)}
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(sorted(accounts)[-MAX_ACCOUNTS:], salt=KNOWN_SALT),
        max_age=KNOWN_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class RememberLoginMiddleware:
    """Sets the known-browser cookie on the response of a request that logged someone in
    (``note_login``, a ``user_logged_in`` receiver, marks the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        email = getattr(request, "remembered_login", None)
        if email:
            remember_browser(request, response, email)
        return response


def note_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the response will remember this browser for the account."""
    if request is not None:
        request.remembered_login = user.email
