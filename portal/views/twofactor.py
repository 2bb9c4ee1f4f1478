"""The second factor of staff accounts (``organisations.twofactor``): the code after the
password, setting up the authenticator app (a QR code and the key in text, then a code from the
app), and the recovery codes (shown once; new ones after a code from the app).

``portal.middleware`` sends staff who owe a code here before any other page; these pages bring
them back to where they were going (``next``) once the code is accepted. None is cached: they
show a secret key or recovery codes.
"""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice
from qrcode.image.svg import SvgPathFillImage

from core.errors import DomainError
from organisations import twofactor
from organisations.twofactor import has_confirmed_device, requires_two_factor

from ..forms.twofactor import AppCodeForm, VerifyCodeForm
from ..middleware import VERIFIED_SESSION_KEY

TEMPLATES = "portal/accounts"


@never_cache
@login_required
def verify(request):
    """After the password: a code from the app or a recovery code, then on to ``next``."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    if not has_confirmed_device(user):
        return redirect(_with_next(reverse("accounts:twofactor_setup"), next_url))
    form = VerifyCodeForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.twofactor_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left. Make new ones on your "
                        "profile if you have lost your phone for good.",
                        "You used a recovery code: %(count)d are left. Make new ones on your "
                        "profile if you have lost your phone for good.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(request, f"{TEMPLATES}/twofactor_verify.html", {"form": form})


@never_cache
@login_required
def setup(request):
    """A staff member without an authenticator app sets one up: scan (or type) the key, give a
    code, read the recovery codes once."""
    user = request.user
    if not requires_two_factor(user):
        raise Http404
    next_url = _next_url(request)
    if has_confirmed_device(user):
        if user.is_verified():
            return redirect("accounts:twofactor_recovery_codes")
        return redirect(_with_next(reverse("accounts:twofactor_verify"), next_url))
    device = twofactor.totp_device_start(user=user)
    form = AppCodeForm(request.POST or None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.totp_device_confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            _verified(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return render(
                request,
                f"{TEMPLATES}/twofactor_codes.html",
                {"codes": codes, "next_url": next_url},
            )
    return render(
        request,
        f"{TEMPLATES}/twofactor_setup.html",
        {"form": form, "qr_svg": _qr_svg(device), "secret": _secret_text(device)},
    )


@never_cache
@login_required
def recovery_codes(request):
    """The person's two-factor status, and new recovery codes after a code from the app (the
    old ones stop working). Staff only; the middleware has checked the session's code."""
    user = request.user
    if not requires_two_factor(user):
        raise Http404
    form = AppCodeForm(
        request.POST or None, submit_label=_("Make new recovery codes"), autofocus=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.recovery_codes_regenerate(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request, _("New recovery codes are made: the old ones no longer work.")
            )
            return render(
                request,
                f"{TEMPLATES}/twofactor_codes.html",
                {"codes": codes, "next_url": reverse("accounts:profile")},
            )
    return render(request, f"{TEMPLATES}/twofactor_manage.html", {"form": form})


def _verified(request, device) -> None:
    """Mark the session verified with ``device``, under a new session key (the one from before
    the code must not be worth more afterwards)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[VERIFIED_SESSION_KEY] = True


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("portal:home")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _qr_svg(device) -> str:
    """The app's set-up link as a QR code, drawn here as inline SVG (nothing leaves the site)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathFillImage, border=2)
    svg = image.get_image()
    for name, value in (
        ("width", "220"),
        ("height", "220"),
        ("role", "img"),
        ("aria-label", _("QR code to scan with your authenticator app")),
    ):
        svg.set(name, value)
    # ElementTree escapes the attribute values; the rest is the library's own markup.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308


def _secret_text(device) -> str:
    """The key in base 32, in groups of four, for typing into the app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
