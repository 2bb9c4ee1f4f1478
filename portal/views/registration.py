"""Registering an organisation from a call's page: a newcomer registers it with themselves as
its first contact (their email confirmed by a link), someone logged in registers it alone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.errors import DomainError
from organisations.services import (
    Contact,
    OrganisationProfile,
    organisation_create,
    registration_confirm,
    registration_start,
)

from ..forms.registration import OrganisationForm, RegistrationForm
from .applications import apply_path, get_call


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
        try:
            if logged_in:
                organisation = organisation_create(profile=profile, admin=request.user)
            else:
                registration_start(
                    profile=profile,
                    contact=Contact(
                        full_name=data["full_name"],
                        email=data["contact_email"],
                        password=data["password1"],
                        language=data["language"],
                    ),
                    next_path=apply_path(edition, data["language"]),
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if logged_in:
                messages.success(
                    request,
                    _("%(organisation)s is registered, with you as its administrator.")
                    % {"organisation": organisation.name},
                )
                return redirect("calls:apply", slug=edition.slug)
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


def confirm(request, token: str):
    """The link of the confirmation email: activate the account, log in, go on applying."""
    try:
        user, next_path = registration_confirm(token=token)
    except DomainError as error:
        return render(
            request,
            "portal/registration/confirm_failed.html",
            {"problem": error.message},
            status=400,
        )
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    with translation.override(user.language):
        messages.success(request, _("Your email address is confirmed. Welcome!"))
        target = reverse("portal:home")
    # The path was made in the contact's language; it is ours (signed), checked all the same.
    if next_path and url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):
        target = next_path
    return HttpResponseRedirect(target)
