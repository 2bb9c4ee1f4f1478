"""The light track's pages for applicants (namespace "calls"): the one-page form of a light
edition's call, and the application's own page, reached through the link emailed to the
applicant (a signed token: no account, no password). From that page the applicant confirms their
address, accepts the short agreement once approved, corrects their bank details until the
payment leaves, and sends the one-page report with photos.

The token in the address is a secret: these pages are never cached, and send no referrer to
another site.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.network import client_ip
from grants.selectors.light import application_for_token
from grants.services.light import (
    FORM_FIELDS,
    light_accept_agreement,
    light_apply,
    light_confirm,
    light_report_submit,
    light_update_payee,
)
from grants.workflow import LightPaymentStatus, LightReportStatus, LightStatus

from ..forms.light import PAYEE, LightApplicationForm, LightReportForm, PayeeForm
from .applications import get_call

# One-page applications sent from one address (through the trusted proxies) per hour.
APPLY_LIMIT = 30


def _too_many(request) -> bool:
    """Counts this visitor's applications in the cache (nothing counted when it is down)."""
    key = f"light-apply:{client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > APPLY_LIMIT
    except ValueError:  # the cache did not keep the key (down): do not block
        return False


def _private(response):
    # Never to another site; the site's own forms keep their Origin (CSRF checks it).
    response["Referrer-Policy"] = "same-origin"
    return response


def _application(token: str):
    application = application_for_token(token)
    if application is None:
        raise Http404
    return application


def _errors_to_form(form, error: DomainError) -> None:
    if error.errors:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)


@never_cache
def apply(request, slug: str):
    """The one-page form. Sent, it waits for the applicant to confirm their address."""
    edition = get_call(slug)
    if not edition.is_light:
        return redirect("calls:apply", slug=slug)
    if not edition.is_call_open():
        messages.error(request, _("The call for applications is not open."))
        return redirect("public:call", slug=slug)
    form = LightApplicationForm(
        request.POST or None, edition=edition, initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid() and _too_many(request):
        form.add_error(None, _("Too many applications from your network: try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FORM_FIELDS}
        try:
            application = light_apply(
                edition=edition,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                data=data,
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            return render(
                request, "portal/light/sent.html", {"edition": edition, "application": application}
            )
    return render(request, "portal/light/apply.html", {"edition": edition, "form": form})


@never_cache
def confirm(request, token: str):
    """The link of the confirmation email: a button, so that a mail scanner opening the link
    confirms nothing."""
    application = _application(token)
    if request.method == "POST":
        light_confirm(application=application)
        messages.success(
            request, _("Thank you: your email address is confirmed and your application received.")
        )
        return redirect("calls:light_application", token=token)
    if application.status != LightStatus.UNCONFIRMED:
        return redirect("calls:light_application", token=token)
    return _private(render(request, "portal/light/confirm.html", {"application": application}))


def _page(request, application, *, payee_form=None, report_form=None, status=200):
    can_edit_payee = application.payment_status in (
        LightPaymentStatus.NONE,
        LightPaymentStatus.PAYABLE,
    ) and application.status in (LightStatus.RECEIVED, LightStatus.APPROVED)
    can_report = application.report_status in (
        LightReportStatus.DUE,
        LightReportStatus.CHANGES_REQUESTED,
    )
    if can_edit_payee and payee_form is None:
        payee_form = PayeeForm(initial={name: getattr(application, name) for name in PAYEE})
    if can_report and report_form is None:
        report_form = LightReportForm(
            initial={
                "text": application.report_text,
                "participants": application.report_participants,
                "link": application.report_link,
            }
        )
    return _private(
        render(
            request,
            "portal/light/application.html",
            {
                "application": application,
                "edition": application.edition,
                "token": application.token,
                "payee_form": payee_form if can_edit_payee else None,
                "report_form": report_form if can_report else None,
                "photos": list(application.photos.all()),
            },
            status=status,
        )
    )


@never_cache
def application_page(request, token: str):
    return _page(request, _application(token))


@never_cache
@require_POST
def accept_agreement(request, token: str):
    application = _application(token)
    try:
        light_accept_agreement(application=application)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: the agreement is accepted."))
    return redirect("calls:light_application", token=token)


@never_cache
@require_POST
def payee(request, token: str):
    application = _application(token)
    form = PayeeForm(request.POST)
    if form.is_valid():
        try:
            light_update_payee(application=application, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your bank details are saved; we verify them again."))
            return redirect("calls:light_application", token=token)
    return _page(request, application, payee_form=form, status=400)


@never_cache
@require_POST
def report(request, token: str):
    application = _application(token)
    form = LightReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            light_report_submit(
                application=application,
                text=form.cleaned_data["text"],
                participants=form.cleaned_data["participants"],
                link=form.cleaned_data["link"],
                photos=form.photos(),
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you: your report is sent."))
            return redirect("calls:light_application", token=token)
    return _page(request, application, report_form=form, status=400)
