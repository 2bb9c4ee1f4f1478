"""The call pages (namespace "calls"): the public call page, registering an organisation, and the
applicant's pages (start, edit, submit, read, withdraw an application).

Every applicant query starts from the organisations the person is a member of: another
organisation's application (or its files) is a 404. Views validate input, call one service per
write and turn the service's error into a message; what was typed is shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.models import Organisation
from organisations.registration import (
    Contact,
    OrganisationProfile,
    RegistrationError,
    organisation_create,
    registration_confirm,
    registration_start,
)
from programme.models import Edition, EligibilityQuestion, ReviewCriterion
from programme.workflow import Role, TransitionNotAllowed

from . import drafts, services
from .forms import (
    ApplicationForm,
    AttachmentForm,
    CommentForm,
    EligibilityForm,
    OrganisationForm,
    RegistrationForm,
    StartForm,
    lines_formset,
    lines_from,
)
from .models import Application, ApplicationAttachment, ApplicationStatusChange
from .workflow import APPLICATION_WORKFLOW, ApplicationStatus

A = ApplicationStatus


def member_organisations(user):
    """The organisations ``user`` belongs to: the root of every applicant query."""
    return Organisation.objects.filter(memberships__user=user)


def own_applications(user):
    return Application.objects.filter(organisation__in=member_organisations(user))


def call_editions():
    """Editions whose call can be shown: published, with an application window."""
    return Edition.objects.published().filter(
        application_opens_at__isnull=False, application_closes_at__isnull=False
    )


def get_call(slug: str, *related) -> Edition:
    return get_object_or_404(
        call_editions().select_related("programme").prefetch_related(*related), slug=slug
    )


def questions_of(edition: Edition) -> list[EligibilityQuestion]:
    # The edition comes along: a question's text falls back to the edition's language.
    return list(edition.eligibility_questions.select_related("edition"))


# --- public ---------------------------------------------------------------------------------


def call_index(request):
    """Calls open now or opening soon, then the earlier ones."""
    editions = list(call_editions().select_related("programme").order_by("-application_closes_at"))
    return render(request, "calls/index.html", {"editions": editions})


def call_detail(request, slug: str):
    """The public page of a call. Not cached: whether it is open changes with the clock."""
    edition = get_call(
        slug,
        Prefetch("criteria", queryset=ReviewCriterion.objects.select_related("edition")),
        Prefetch(
            "eligibility_questions",
            queryset=EligibilityQuestion.objects.select_related("edition"),
        ),
    )
    mine = []
    if request.user.is_authenticated:
        mine = list(
            own_applications(request.user)
            .filter(edition=edition)
            .select_related("organisation")
            .order_by("-created_at")
        )
    return render(
        request,
        "calls/detail.html",
        {"edition": edition, "state": edition.call_state(), "my_applications": mine},
    )


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
        except RegistrationError as error:
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
                "calls/register_sent.html",
                {"edition": edition, "email": data["contact_email"]},
            )
    return render(
        request, "calls/register.html", {"edition": edition, "form": form, "logged_in": logged_in}
    )


def confirm(request, token: str):
    """The link of the confirmation email: activate the account, log in, go on applying."""
    try:
        user, next_path = registration_confirm(token=token)
    except RegistrationError as error:
        return render(request, "calls/confirm_failed.html", {"problem": error.message}, status=400)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    with translation.override(user.language):
        messages.success(request, _("Your email address is confirmed. Welcome!"))
        target = reverse("portal:home")
    # The path was made in the contact's language; it is ours (signed), checked all the same.
    if next_path and url_has_allowed_host_and_scheme(next_path, allowed_hosts=None):
        target = next_path
    return HttpResponseRedirect(target)


def apply_path(edition: Edition, language: str) -> str:
    with translation.override(language):
        return reverse("calls:apply", kwargs={"slug": edition.slug})


# --- applying -------------------------------------------------------------------------------


def apply(request, slug: str):
    """Start an application: choose the organisation, name the project, answer the
    eligibility questions. An ineligible organisation is stopped, politely, with the reasons."""
    edition = get_call(slug)
    if not edition.is_call_open():
        messages.error(request, services.call_closed_message(edition))
        return redirect("calls:detail", slug=edition.slug)
    if not request.user.is_authenticated:
        return render(request, "calls/apply_choice.html", {"edition": edition})
    organisations = member_organisations(request.user).order_by("name")
    if not organisations.exists():
        return render(request, "calls/apply_no_organisation.html", {"edition": edition})
    questions = questions_of(edition)
    form = StartForm(
        request.POST or None,
        questions=questions,
        organisations=organisations,
        initial={"language": request.user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = drafts.application_start(
                edition=edition,
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                answers=form.answers(),
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
            )
        except drafts.DuplicateApplication as error:
            messages.warning(request, error.message)
            return redirect("calls:application", pk=error.existing.pk)
        except services.ApplicationError as error:
            if error.errors:
                return render(
                    request,
                    "calls/ineligible.html",
                    {"edition": edition, "reasons": list(error.errors.values())},
                )
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your draft is started. Save it whenever you like; submit it when it is ready."),
            )
            return redirect("calls:edit", pk=application.pk)
    return render(request, "calls/apply.html", {"edition": edition, "form": form})


@login_required
def application_list(request):
    applications = (
        own_applications(request.user)
        .select_related("organisation", "edition__programme")
        .order_by("-created_at")
    )
    return render(request, "calls/application_list.html", {"applications": applications})


def _own_application(request, pk: int) -> Application:
    return get_object_or_404(
        own_applications(request.user).select_related("organisation", "edition__programme"),
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
        "calls/application_detail.html",
        {
            "application": application,
            "history": history,
            "attachments": list(application.attachments.all()),
            "themes": list(application.themes.all()),
            "can_withdraw": A.WITHDRAWN
            in APPLICATION_WORKFLOW.targets(application.status, Role.MEMBER),
        },
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
        return render(request, "calls/application_form.html", context)

    form = ApplicationForm(request.POST, instance=application, edition=edition)
    lines = lines_formset(request.POST, lines=application.lines_of_action)
    upload = AttachmentForm(request.POST, request.FILES)
    version = request.POST.get("version", "")
    if not (form.is_valid() and lines.is_valid() and upload.is_valid()) or not version.isdigit():
        messages.error(request, _("Some answers could not be read: see the messages below."))
        context = _edit_context(application, form, lines, upload, version)
        return render(request, "calls/application_form.html", context)
    data = {
        name: form.cleaned_data[name]
        for name in drafts.EDITABLE_FIELDS
        if name in form.cleaned_data
    }
    data["lines_of_action"] = lines_from(lines)
    data["countries"] = list(form.cleaned_data["countries"])
    try:
        application = drafts.application_update(
            application=application,
            actor=request.user,
            data=data,
            themes=form.cleaned_data["themes"],
            version=int(version),
        )
    except services.ApplicationError as error:
        messages.error(request, error.message)
        context = _edit_context(application, form, lines, upload, version)
        return render(request, "calls/application_form.html", context, status=409)
    if upload.cleaned_data.get("file"):
        try:
            drafts.attachment_add(
                application=application,
                actor=request.user,
                upload=upload.cleaned_data["file"],
                description=upload.cleaned_data["file_description"],
            )
        except services.ApplicationError as error:
            upload.add_error("file", error.message)
            messages.error(request, _("Your answers are saved, but the document was not added."))
            context = _edit_context(application, form, lines, upload, application.version)
            return render(request, "calls/application_form.html", context)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Your draft is saved."))
        return redirect("calls:edit", pk=application.pk)
    try:
        application = services.application_submit(application=application, actor=request.user)
    except (services.ApplicationError, TransitionNotAllowed) as error:
        errors = getattr(error, "errors", {})
        for name, message in errors.items():
            if name in form.fields:
                form.add_error(name, message)
        messages.error(request, error.message)
        context = _edit_context(
            application, form, lines, AttachmentForm(), application.version, errors
        )
        return render(request, "calls/application_form.html", context)
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
            drafts.application_update_eligibility(
                application=application, actor=request.user, answers=form.answers()
            )
        except services.ApplicationError as error:
            if error.errors:
                return render(
                    request,
                    "calls/ineligible.html",
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
    return render(request, "calls/eligibility.html", {"application": application, "form": form})


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
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("calls:application", pk=application.pk)
    return render(request, "calls/withdraw.html", {"application": application, "form": form})


def serve_attachment(attachment: ApplicationAttachment, filename: str | None = None):
    """Send a private file as a download (never shown inline, never from a public URL)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename or attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    """A document of an application, for its organisation's members and the secretariat."""
    if services.is_secretariat(request.user):
        applications = Application.objects.all()
    else:
        applications = own_applications(request.user)
    attachment = get_object_or_404(
        ApplicationAttachment.objects.filter(application__in=applications),
        pk=attachment_pk,
        application_id=pk,
    )
    return serve_attachment(attachment)


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    application = _own_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        drafts.attachment_delete(attachment=attachment, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.original_name})
    return redirect("calls:edit", pk=application.pk)
