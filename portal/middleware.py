"""The portal's middleware: the second factor for staff, and translated content read for a
person on the signed-in pages (``PersonalReadingMiddleware``, at the end).

The second factor for staff is enforced on every page (``organisations.twofactor``).

A staff member (or superuser, or member of a staff group) who gave their password but no code
yet reaches only the pages that ask for the code (or set up the app), the logouts and the
language switch: any other page, the back office's, the secretariat's, the review pages, the
portal's and every page added later, sends them to the code first and brings them back after.
The rule is on the person (``requires_two_factor``), not on a list of staff pages, so a new
staff page cannot forget it.

Must come after django-otp's ``OTPMiddleware`` (which reads the verified device from the
session) and ``MessageMiddleware``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from core.translation import reading_for_a_person
from organisations.twofactor import requires_two_factor

# Set in the session with the device that accepted the code (``portal.views.twofactor``), and
# kept when django-otp forgets a device that no longer exists: a session verified with a device
# since reset is then told apart from one that never gave a code.
VERIFIED_SESSION_KEY = "second_factor_given"

# The pages a person who still owes the second factor may open, by URL name.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:twofactor_verify",
        "accounts:twofactor_setup",
        "accounts:logout",
        "admin:logout",
        "set_language",
        "robots",
        "sitemap",
        "sitemap-section",
        "public-media",
    }
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.session.get(VERIFIED_SESSION_KEY)
            and user.is_authenticated
            and user.otp_device is None
        ):
            # This session was verified with a device that is gone (reset by the secretariat
            # after a loss): whoever holds the session must log in again, password first.
            logout(request)
            messages.warning(
                request,
                _("Your two-factor authentication was reset. Log in again to set it up."),
            )
            return redirect("accounts:login")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not requires_two_factor(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = reverse("accounts:twofactor_verify")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


# The signed-in pages where a person reads the programme's content (grantees, applicants,
# reviewers), by URL namespace.
PERSONAL_NAMESPACES = frozenset({"portal", "calls", "review"})


class PersonalReadingMiddleware:
    """On the signed-in pages, translated content falls back for a person
    (``core.translation.reading_for_a_person``): their language, else the global list, with the
    same "not translated yet" note as the public site. The public pages keep the original
    language first. Must come after ``LocaleMiddleware`` (the address carries the language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            namespaces = set(resolve(request.path_info).namespaces)
        except Resolver404:
            namespaces = set()
        if namespaces & PERSONAL_NAMESPACES:
            with reading_for_a_person():
                return self.get_response(request)
        return self.get_response(request)
