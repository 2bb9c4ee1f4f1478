"""The second factor in tests (``organisations.twofactor``).

Staff give a code after the password before any signed-in page. Tests about something else log
staff in with ``Client`` below (the ``client`` fixture is one): its ``force_login`` and ``login``
also mark the session verified, as a code accepted at the verification page would. Tests of the
second factor itself use Django's own client, which stops at the password.

``code_for`` computes what the person's authenticator app shows (RFC 6238), as a browser test
reading the key off the set-up page would.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.test import Client as DjangoClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.twofactor import requires_two_factor
from portal.middleware import VERIFIED_SESSION_KEY


class Client(DjangoClient):
    """Django's test client, whose logins of staff pass the second factor too."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        verify_session(self, user)

    def login(self, **credentials):
        logged_in = super().login(**credentials)
        if logged_in:
            user_id = self.session.get("_auth_user_id")
            verify_session(self, get_user_model().objects.get(pk=user_id))
        return logged_in


def authenticator(user) -> TOTPDevice:
    """The confirmed authenticator app of ``user``, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator app")


def verify_session(client: DjangoClient, user) -> None:
    """Mark the session of ``client`` (logged in as ``user``) verified, if staff."""
    if not requires_two_factor(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session[VERIFIED_SESSION_KEY] = True
    session.save()


def give_code(client: DjangoClient, user, *, next_url: str = ""):
    """What ``user`` does after the password: give a code from their app at the verification
    page (the app is made if they have none). Returns the page's answer (a redirect)."""
    data = {"code": fresh_code(authenticator(user)), "next": next_url}
    response = client.post("/en/accounts/two-factor/", data)
    assert response.status_code == 302, response.content
    return response


def code_for(key_hex_or_device, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for this key now (or ``steps_ahead`` periods of
    30 seconds later)."""
    key = getattr(key_hex_or_device, "bin_key", None)
    if key is None:
        key = bytes.fromhex(key_hex_or_device)
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts and has not accepted yet. Each code works once: after one was
    used in this period of 30 seconds, take the next period's (the device tolerates one period
    of drift, and follows the drift it sees), and after that, wait for the clock."""
    while True:
        device.refresh_from_db()
        now = TOTP(device.bin_key).t()
        # The device's own period first: a code from the edge of its window could fall out
        # of it as the clock turns.
        for ahead in range(device.drift, device.drift + device.tolerance + 1):
            if now + ahead > device.last_t:
                return code_for(device, steps_ahead=ahead)
        time.sleep(1)


def give_code_in_browser(page, user) -> None:
    """After the password, in a browser: type a code from ``user``'s app at the verification
    page. Make their app (``authenticator``) before the password, or the site asks to set one
    up instead."""
    page.wait_for_url("**/accounts/two-factor/**")
    page.locator("main").get_by_label("Code").fill(fresh_code(authenticator(user)))
    page.locator("main").get_by_role("button", name="Verify").click()
