"""The applicant's pages (namespace "calls"): start an application after the eligibility
questions, write it with drafts, submit it, read it, withdraw it, and its documents.

Every applicant query starts from the organisations the person is a member of: another
organisation's application (or its files) is a 404. Views validate input, call one service per
write and turn the service's error into a message; what was typed is shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.files import private_file_response
from core.forms import CommentForm
from core.pdf import pdf_response
from core.workflow import Role
from grants import services
from grants.errors import DuplicateApplication
from grants.models import Application, ApplicationAttachment, ApplicationStatusChange
from grants.printouts import application_filename, application_pdf
from grants.selectors.applications import own_applications
from grants.workflow import APPLICATION_WORKFLOW, ApplicationStatus
from organisations.selectors import is_secretariat, member_organisations
from programme.models import Edition
from programme.selectors import call_editions, questions_of

from ..forms.applications import (
    ApplicationForm,
    AttachmentForm,
    EligibilityForm,
    StartForm,
    lines_formset,
    lines_from,
)
from .access import edition_long_texts

A = ApplicationStatus


def get_call(slug: str) -> Edition:
    """The edition of the call ``slug`` (published, with an application window), or 404."""
    return get_object_or_404(call_editions().select_related("programme"), slug=slug)


def apply_path(edition: Edition, language: str) -> str:
    """The address of the first step of applying to ``edition``, in ``language``."""
    with translation.override(language):
        return reverse("calls:apply", kwargs={"slug": edition.slug})


def apply(request, slug: str):
    """Start an application: choose the organisation, name the project, answer the
    eligibility questions. An ineligible organisation is stopped, politely, with the reasons."""
    edition = get_call(slug)
    if edition.is_light:  # Small grants: a one-page form, no account.
        return redirect("calls:light_apply", slug=edition.slug)
    if not edition.is_call_open():
        messages.error(request, services.call_closed_message(edition))
        return redirect("public:call", slug=edition.slug)
    if not request.user.is_authenticated:
        return render(request, "portal/applications/apply_choice.html", {"edition": edition})
    organisations = member_organisations(request.user).order_by("name")
    if not organisations.exists():
        return render(
            request, "portal/applications/apply_no_organisation.html", {"edition": edition}
        )
    questions = questions_of(edition)
    form = StartForm(
        request.POST or None,
        questions=questions,
        organisations=organisations,
        initial={"language": request.user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                edition=edition,
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                answers=form.answers(),
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except DuplicateApplication as error:
            messages.warning(request, error.message)
            return redirect("calls:application", pk=error.existing.pk)
        except DomainError as error:
            if error.errors:
                return render(
                    request,
                    "portal/applications/ineligible.html",
                    {"edition": edition, "reasons": list(error.errors.values())},
                )
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your draft is started. Save it whenever you like; submit it when it is ready."),
            )
            return redirect("calls:edit", pk=application.pk)
    return render(request, "portal/applications/apply.html", {"edition": edition, "form": form})


@login_required
def application_list(request):
    applications = (
        own_applications(request.user)
        .select_related("organisation", "edition__programme")
        .order_by("-created_at")
    )
    return render(request, "portal/applications/list.html", {"applications": applications})


def _own_application(request, pk: int) -> Application:
    return get_object_or_404(
        own_applications(request.user)
        .select_related("organisation", "edition__programme")
        .defer(*edition_long_texts("edition")),
        pk=pk,
    )


@login_required
def application_detail(request, pk: int):
    """What the applicant submitted, read-only, with the status history addressed to them
    (never the reviews: those are the panel's and the secretariat's)."""
    application = _own_application(request, pk)
    labels = dict(A.choices)
    history = [
        (change, labels.get(change.to_status, change.to_status))
        for change in ApplicationStatusChange.objects.filter(application=application).order_by(
            "created_at", "pk"
        )
    ]
    return render(
        request,
        "portal/applications/detail.html",
        {
            "application": application,
            "history": history,
            "attachments": list(application.attachments.all()),
            "themes": list(application.themes.all()),
            "can_withdraw": A.WITHDRAWN
            in APPLICATION_WORKFLOW.targets(application.status, Role.MEMBER),
        },
    )


@login_required
def application_pdf_download(request, pk: int):
    """The application as a PDF, in the reader's language, for its organisation's members:
    what they sent, never the reviews."""
    application = _own_application(request, pk)
    return pdf_response(
        application_pdf(application, language=translation.get_language(), with_reviews=False),
        filename=application_filename(application),
    )


def _edit_context(application, form, lines, upload, version, errors=None):
    return {
        "application": application,
        "edition": application.edition,
        "form": form,
        "lines": lines,
        "upload": upload,
        "version": version,
        "attachments": list(application.attachments.all()),
        "submit_errors": errors or {},
        "more_info": (
            application.history.filter(to_status=A.MORE_INFO).order_by("-created_at").first()
            if application.status == A.MORE_INFO
            else None
        ),
    }


@login_required
def application_edit(request, pk: int):
    """The application form: "Save draft" keeps whatever was typed; "Submit" saves, then checks
    completeness and the deadline, and says what is missing (the draft stays saved)."""
    application = _own_application(request, pk)
    if not application.is_editable:
        messages.info(request, _("This application can no longer be changed."))
        return redirect("calls:application", pk=application.pk)
    edition = application.edition
    if request.method != "POST":
        form = ApplicationForm(instance=application, edition=edition)
        lines = lines_formset(lines=application.lines_of_action)
        context = _edit_context(application, form, lines, AttachmentForm(), application.version)
        return render(request, "portal/applications/form.html", context)

    form = ApplicationForm(request.POST, instance=application, edition=edition)
    lines = lines_formset(request.POST, lines=application.lines_of_action)
    upload = AttachmentForm(request.POST, request.FILES)
    version = request.POST.get("version", "")
    if not (form.is_valid() and lines.is_valid() and upload.is_valid()) or not version.isdigit():
        messages.error(request, _("Some answers could not be read: see the messages below."))
        context = _edit_context(application, form, lines, upload, version)
        return render(request, "portal/applications/form.html", context)
    data = {
        name: form.cleaned_data[name]
        for name in services.EDITABLE_FIELDS
        if name in form.cleaned_data
    }
    data["lines_of_action"] = lines_from(lines)
    data["countries"] = list(form.cleaned_data["countries"])
    try:
        application = services.application_update(
            application=application,
            actor=request.user,
            data=data,
            themes=form.cleaned_data["themes"],
            version=int(version),
        )
    except DomainError as error:
        messages.error(request, error.message)
        context = _edit_context(application, form, lines, upload, version)
        return render(request, "portal/applications/form.html", context, status=409)
    if upload.cleaned_data.get("file"):
        try:
            services.attachment_add(
                application=application,
                actor=request.user,
                upload=upload.cleaned_data["file"],
                description=upload.cleaned_data["file_description"],
            )
        except DomainError as error:
            upload.add_error("file", error.message)
            messages.error(request, _("Your answers are saved, but the document was not added."))
            context = _edit_context(application, form, lines, upload, application.version)
            return render(request, "portal/applications/form.html", context)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft is saved."))
        return redirect("calls:edit", pk=application.pk)
    try:
        application = services.application_submit(application=application, actor=request.user)
    except DomainError as error:
        errors = error.errors
        for name, message in errors.items():
            if name in form.fields:
                form.add_error(name, message)
        messages.error(request, error.message)
        context = _edit_context(
            application, form, lines, AttachmentForm(), application.version, errors
        )
        return render(request, "portal/applications/form.html", context)
    messages.success(
        request,
        _("Your application is submitted. Thank you! We have sent you a confirmation."),
    )
    return redirect("calls:application", pk=application.pk)


@login_required
def eligibility(request, pk: int):
    """Answer the eligibility questions again (for a draft whose questions changed)."""
    application = _own_application(request, pk)
    if not application.is_editable:
        raise Http404
    questions = questions_of(application.edition)
    form = EligibilityForm(
        request.POST or None,
        questions=questions,
        initial=EligibilityForm.initial_from(application.eligibility_answers),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update_eligibility(
                application=application, actor=request.user, answers=form.answers()
            )
        except DomainError as error:
            if error.errors:
                return render(
                    request,
                    "portal/applications/ineligible.html",
                    {
                        "edition": application.edition,
                        "reasons": list(error.errors.values()),
                        "application": application,
                    },
                )
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect("calls:edit", pk=application.pk)
    return render(
        request, "portal/applications/eligibility.html", {"application": application, "form": form}
    )


@login_required
def withdraw(request, pk: int):
    application = _own_application(request, pk)
    form = CommentForm(
        request.POST or None,
        label=_("Why do you withdraw it? (optional)"),
        required=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("calls:application", pk=application.pk)
    return render(
        request, "portal/applications/withdraw.html", {"application": application, "form": form}
    )


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A document of an application, for its organisation's members and the secretariat."""
    if is_secretariat(request.user):
        applications = Application.objects.all()
    else:
        applications = own_applications(request.user)
    attachment = get_object_or_404(
        ApplicationAttachment.objects.filter(application__in=applications),
        pk=attachment_pk,
        application_id=pk,
    )
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    application = _own_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect("calls:edit", pk=application.pk)
