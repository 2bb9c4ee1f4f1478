"""Two factors for staff, on django-otp: an authenticator app (a TOTP device) confirmed with a
code, ten single-use recovery codes (a static device), the check of a code after the password,
and the reset of a lost device by another member of the secretariat.

Who must: every staff account, every superuser, and the members of the staff groups
(``requires_two_factor``). The portal's pages ask for the code (``portal.views.twofactor``) and
its middleware sends such a person there before any other signed-in page, the back office
included (``portal.middleware``). A session is verified once a code was accepted in it
(django-otp keeps the device in the session), for that session only.

Each change is recorded in the person's history in the back office (the admin's log: who, when,
whose): setting up the app, new recovery codes, a reset. Wrong codes are throttled per device by
django-otp: after each failure the next try waits twice as long (1, 2, 4… seconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import django_otp
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.staff import REVIEWER, SECRETARIAT
from notifications.services import notify_many

from . import notifications as kinds
from .selectors import is_secretariat

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator app"
STATIC_DEVICE_NAME = "recovery codes"
DEVICE_MODELS = (TOTPDevice, StaticDevice)


class TwoFactorError(DomainError):
    """A code was refused (wrong, used, or too many tries), or a two-factor change is not
    allowed (setting up twice, resetting one's own device)."""


@dataclass(frozen=True)
class TwoFactorStatus:
    """What a person (or the secretariat) reads of someone's two factors."""

    required: bool
    enrolled_at: datetime | None  # when the authenticator app was confirmed; None: not set up
    last_used_at: datetime | None
    recovery_codes_left: int

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_at is not None


def requires_two_factor(user) -> bool:
    """Staff and superusers give a second factor after the password, and so do the members of
    the staff groups who are not marked staff (reviewers who only use the portal's review
    pages read applications in confidence); nobody else is asked for anything. Remembered on
    the user object for the request."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_requires_two_factor", None)
    if cached is None:
        cached = user.groups.filter(name__in=(SECRETARIAT, REVIEWER)).exists()
        user._requires_two_factor = cached
    return cached


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def twofactor_status(user) -> TwoFactorStatus:
    device = confirmed_totp(user)
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(
        required=requires_two_factor(user),
        enrolled_at=device.created_at if device else None,
        last_used_at=device.last_used_at if device else None,
        recovery_codes_left=codes if device else 0,
    )


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes, recovery codes in capitals."""
    return "".join(code.split()).replace("-", "").lower()


def totp_device_start(*, user) -> TOTPDevice:
    """The authenticator app ``user`` is setting up: a new secret, unconfirmed until a code from
    the app is given (``totp_device_confirm``). Coming back before confirming shows the same
    secret, so a reload does not spoil a scan already made."""
    if not requires_two_factor(user):
        raise TwoFactorError(_("Only staff accounts set up two-factor authentication."))
    with transaction.atomic():
        if TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).exists():
            raise TwoFactorError(_("Your two-factor authentication is already set up."))
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a code it shows, and make the first recovery codes.
    Returns the device (the session is verified with it) and the codes, shown once. A wrong
    code is counted against the device (throttled) and refused."""
    code = normalise_code(code)
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().filter(user=user).order_by("pk")
        # A second app is never added beside a confirmed one: that takes a code (or a reset).
        if any(device.confirmed for device in devices):
            raise TwoFactorError(_("Your two-factor authentication is already set up."))
        device = next(iter(devices), None)
        if device is None:
            raise TwoFactorError(_("Start again: open the page to set up the app."))
        _check_not_throttled(device)
        accepted = device.verify_token(code)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _record(
                actor=user,
                user=user,
                message=_("Two-factor authentication set up: authenticator app confirmed."),
            )
    # Raised after the block: the failure counted by verify_token must stay.
    if not accepted:
        raise TwoFactorError(_wrong_code_message(recovery_allowed=False))
    return device, codes


def twofactor_verify(*, user, code: str) -> Device:
    """The device that accepts ``code`` (a code from the app, or a recovery code, which is used
    up), for the session to be verified with. Refuses a wrong code (counted and throttled per
    device), a code already used, and any code while the device waits after wrong tries."""
    code = normalise_code(code)
    if len(code) == 6 and code.isdigit():
        device = confirmed_totp(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not has_confirmed_device(user):
        raise TwoFactorError(_wrong_code_message(recovery_allowed=True))
    _check_not_throttled(device)
    # verify_token locks the device in a transaction of its own; none around it here, so that a
    # wrong code stays counted.
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        raise TwoFactorError(_wrong_code_message(recovery_allowed=True))
    return verified


def recovery_codes_regenerate(*, user, code: str) -> list[str]:
    """New recovery codes for ``user``, after a current code from their authenticator app; the
    old codes stop working. Returns the new codes, shown once."""
    code = normalise_code(code)
    device = confirmed_totp(user)
    if device is None:
        raise TwoFactorError(_("Set up two-factor authentication first."))
    _check_not_throttled(device)
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        raise TwoFactorError(_wrong_code_message(recovery_allowed=False))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _record(
            actor=user,
            user=user,
            message=_("New recovery codes made; the previous ones no longer work."),
        )
    return codes


def twofactor_reset(*, user, actor) -> None:
    """Remove the authenticator app and recovery codes of ``user`` who lost them, on behalf of
    ``actor``, another member of the secretariat; the reset is recorded in ``user``'s history
    and ``user`` is told by email. At their next login they set up an app again; a session
    they had verified with the old app is logged out (``portal.middleware``)."""
    if actor.pk == user.pk:
        raise TwoFactorError(
            _(
                "You cannot reset your own two-factor authentication: ask another member of "
                "the secretariat."
            )
        )
    if not is_secretariat(actor):
        raise TwoFactorError(_("Only the secretariat resets two-factor authentication."))
    if user.is_superuser and not actor.is_superuser:
        raise TwoFactorError(
            _("Only a superuser resets the two-factor authentication of a superuser.")
        )
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user)
        static = StaticDevice.objects.select_for_update().filter(user=user)
        if not totp.exists() and not static.exists():
            raise TwoFactorError(
                _("%(person)s has no two-factor authentication to reset.") % {"person": user}
            )
        StaticToken.objects.filter(device__user=user).delete()
        static.delete()
        totp.delete()
        entry = _record(
            actor=actor,
            user=user,
            message=_(
                "Two-factor authentication reset by %(actor)s: authenticator app and recovery "
                "codes removed."
            )
            % {"actor": actor},
        )
        notify_many(
            recipients=[user],
            kind=kinds.TWOFACTOR_RESET,
            key=f"twofactor_reset:{entry.pk}",
            context={"reset_by": str(actor)},
            url_name="accounts:login",
        )


def _new_recovery_codes(user) -> list[str]:
    """Replace the recovery codes of ``user`` with new ones (in the caller's transaction)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": STATIC_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset(commit=False)
    device.save()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _check_not_throttled(device: Device) -> None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (details or {}).get("locked_until")
    seconds = (
        max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
    )
    raise TwoFactorError(
        ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        )
        % {"seconds": seconds}
    )


def _wrong_code_message(*, recovery_allowed: bool) -> str:
    if recovery_allowed:
        return _(
            "This code is not right, or was already used. Check that the time of your phone is "
            "right and try the new code, or use one of your recovery codes."
        )
    return _(
        "This code is not right, or was already used. Check that the time of your phone is "
        "right and try the new code."
    )


def _record(*, actor, user, message: str) -> LogEntry:
    """A line in ``user``'s history in the back office: who did it, when, and what."""
    return LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )
