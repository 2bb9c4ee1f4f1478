"""Files and photos of a report: added and removed by members, served only through here."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import UploadRejected, max_bytes, private_file_response
from core.views import login_required_keeping_input, post_only
from reports import services

from ..forms.report import AttachmentForm
from .access import can_write, get_attachment, get_report, report_page


@login_required_keeping_input
def report_attachments(request, pk: int):
    """The report's files; members add one at a time while the report is being written."""
    report = get_report(request, pk)
    writable = can_write(request, report.initiative.lead_organisation_id) and report.is_editable
    form = None
    if writable:
        form = AttachmentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                attachment = services.attachment_add(
                    report=report,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    caption=form.cleaned_data["caption"],
                    is_publishable=form.cleaned_data["is_publishable"],
                )
            except UploadRejected as error:
                # The caption and consent stay in the form; only the file is asked for again.
                form.add_error("file", error.message)
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("portal:report", pk=report.pk)
            else:
                messages.success(
                    request, _("“%(name)s” was added.") % {"name": attachment.original_name}
                )
                return redirect("portal:report_attachments", pk=report.pk)
    elif request.method == "POST":
        messages.error(request, _("Files can no longer be added to this report."))
        return redirect("portal:report", pk=report.pk)
    return render(
        request,
        "portal/report_attachments.html",
        {
            **report_page(request, report),
            "form": form,
            "writable": writable,
            "attachments": list(report.attachments.select_related("uploaded_by")),
            "max_bytes": max_bytes(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required_keeping_input(hold=False)
def attachment_download(request, pk: int):
    """The stored file, for members of the organisation and the secretariat only."""
    attachment = get_attachment(request, pk)
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=attachment.kind == attachment.Kind.PHOTO,
    )


@login_required_keeping_input(hold=False)
def attachment_delete(request, pk: int):
    attachment = get_attachment(request, pk, write=True)
    if refused := post_only(request):
        return refused
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect("portal:report_attachments", pk=attachment.report_id)
