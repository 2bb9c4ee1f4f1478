"""Registering an organisation from a call's page: a newcomer registers it with themselves as
its first contact (their email confirmed by a link), someone logged in registers it alone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.errors import DomainError
from organisations.errors import AlreadyConfirmed
from organisations.services import (
    Contact,
    OrganisationProfile,
    organisation_create,
    registration_confirm,
    registration_start,
)

from ..forms.registration import OrganisationForm, RegistrationForm
from .applications import apply_path, get_call

# The session key naming the account this browser registered, while it is not confirmed.
PENDING = "registration_pending"


def register(request, slug: str):
    """Register an organisation: with its first contact (email confirmed) for a newcomer, or
    the organisation alone for someone logged in."""
    edition = get_call(slug)
    logged_in = request.user.is_authenticated
    form_class = OrganisationForm if logged_in else RegistrationForm
    form = form_class(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile = OrganisationProfile(
            name=data["name"],
            acronym=data["acronym"],
            kind=data["kind"],
            country=data["country"],
            city=data["city"],
            website=data["website"],
            founded_year=data["founded_year"],
            email=data["email"],
            description=data["description"],
            language=data["original_language"],
        )
        if logged_in:
            organisation = organisation_create(profile=profile, admin=request.user)
            messages.success(
                request,
                _("%(organisation)s is registered, with you as its administrator.")
                % {"organisation": organisation.name},
            )
            return redirect("calls:apply", slug=edition.slug)
        pending = registration_start(
            profile=profile,
            contact=Contact(
                full_name=data["full_name"],
                email=data["contact_email"],
                password=data["password1"],
                language=data["language"],
            ),
            next_path=apply_path(edition, data["language"]),
        )
        if pending is not None:
            # Only this browser is logged in when the link is followed (see ``confirm``).
            request.session[PENDING] = pending.pk
        # The same page whether the address or the organisation exist: only the address's
        # owner learns more, by email.
        return render(
            request,
            "portal/registration/sent.html",
            {"edition": edition, "email": data["contact_email"]},
        )
    return render(
        request,
        "portal/registration/register.html",
        {"edition": edition, "form": form, "logged_in": logged_in},
    )


def confirm(request, uidb64: str, token: str):
    """The link of the confirmation email: activate the account, then go on applying.

    Only the browser that filled the registration form is logged in: a link opened anywhere
    else (another device, someone who got hold of the email) confirms the address, and the
    person logs in with their password.
    """
    next_path = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()}):
        next_path = ""
    try:
        user = registration_confirm(uidb64=uidb64, token=token)
    except AlreadyConfirmed as error:
        messages.info(request, error.message)
        return redirect_to_login(next_path or reverse("portal:home"))
    except DomainError as error:
        return render(
            request,
            "portal/registration/confirm_failed.html",
            {"problem": error.message},
            status=400,
        )
    with translation.override(user.language):
        if request.session.get(PENDING) == user.pk:
            del request.session[PENDING]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your email address is confirmed. Welcome!"))
            return HttpResponseRedirect(next_path or reverse("portal:home"))
        messages.success(
            request, _("Your email address is confirmed. Log in with the password you chose.")
        )
        return redirect_to_login(next_path or reverse("portal:home"))
