"""Reports in the portal: read, write (draft, submit), compare versions. The secretariat reads
them here too, and reviews them on its own page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.pdf import pdf_response
from core.views import held_post, login_required_keeping_input, release_held_post
from core.workflow import labelled
from reports import services
from reports.models import ReportSection
from reports.printouts import report_filename, report_pdf
from reports.selectors import last_request, latest_comments
from reports.versions import compare, section_texts, snapshot
from reports.workflow import ReportStatus

from ..forms.report import ReportForm, Workplan
from .access import get_report, report_page


@login_required_keeping_input
def report_detail(request, pk: int):
    report = get_report(request, pk)
    content = snapshot(report)
    changes_requested = report.status == ReportStatus.CHANGES_REQUESTED
    return render(
        request,
        "portal/report_detail.html",
        {
            **report_page(request, report),
            "sections": section_texts(content),
            "attachments": list(report.attachments.select_related("uploaded_by")),
            "history": labelled(report.history.select_related("actor"), ReportStatus),
            "comments": latest_comments(report) if changes_requested else {},
            "last_request": last_request(report) if changes_requested else None,
        },
    )


@login_required_keeping_input
def report_pdf_download(request, pk: int):
    """The report as a PDF, in the reader's language (members; the secretariat reads too)."""
    report = get_report(request, pk)
    return pdf_response(
        report_pdf(report, language=get_language()), filename=report_filename(report)
    )


@login_required_keeping_input
def report_edit(request, pk: int):
    report = get_report(request, pk, write=True)
    closed = _("This report is %(status)s: it can no longer be changed.") % {
        "status": report.get_status_display().lower()
    }
    if not report.is_editable and request.method != "POST":
        messages.info(request, closed)
        return redirect("portal:report", pk=report.pk)
    workplan = Workplan.of(report.initiative)
    status = 200
    conflict = None
    locked = not report.is_editable
    held = held_post(request) if request.method == "GET" else None
    if held is not None:
        messages.info(
            request,
            _(
                "Here is what you typed before you were logged out. It is not saved yet: "
                "check it and save."
            ),
        )
    form = ReportForm(
        request.POST if request.method == "POST" else held,
        report=report,
        workplan=workplan,
    )
    if locked:
        # Submitted or accepted by someone else meanwhile: nothing is saved, but the text the
        # person sent is shown back to them rather than dropped.
        messages.error(request, closed)
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            report = services.report_save(
                report=report,
                actor=request.user,
                content=form.content(),
                read_version=form.cleaned_data["version"],
            )
        except services.StaleReport as error:
            # Refused, not lost: the person's text stays in the form, which now carries the
            # current version, so saving again (after comparing) is their informed choice.
            messages.error(request, error.message)
            report.refresh_from_db()
            conflict = {
                "report": report,
                "sections": section_texts(snapshot(report)),
            }
            data = request.POST.copy()
            data["version"] = str(report.version)
            form = ReportForm(data, report=report, workplan=workplan)
            status = 409
        except DomainError as error:
            # Not saved (the workplan changed, the report was closed meanwhile): the text
            # stays in the form with the reason.
            messages.error(request, error.message)
            status = 409
        else:
            release_held_post(request)
            if "submit" not in request.POST:
                messages.success(request, _("Your draft was saved."))
                return redirect("portal:report_edit", pk=report.pk)
            # The draft is saved first, whatever happens to the submission: an incomplete
            # report keeps everything typed and says what is missing.
            try:
                services.report_submit(report=report, actor=request.user)
            except services.ReportIncomplete as error:
                messages.error(request, error.message)
                return redirect(
                    reverse("portal:report_edit", kwargs={"pk": report.pk}) + "?check=1"
                )
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("portal:report_edit", pk=report.pk)
            messages.success(request, _("Your report was sent to the secretariat. Thank you!"))
            return redirect("portal:report", pk=report.pk)
    problems = services.report_problems(report) if request.GET.get("check") else {}
    comments = latest_comments(report) if report.status == ReportStatus.CHANGES_REQUESTED else {}
    return render(
        request,
        "portal/report_form.html",
        {
            **report_page(request, report),
            "form": form,
            "problems": problems,
            "comments": comments,
            "last_request": last_request(report)
            if report.status == ReportStatus.CHANGES_REQUESTED
            else None,
            "conflict": conflict,
            "locked": locked,
            "attachments": list(report.attachments.all()),
            "section_labels": dict(ReportSection.choices),
        },
        status=status,
    )


@login_required_keeping_input
def report_versions(request, pk: int):
    """Every saved version of a report, and the differences between two of them."""
    report = get_report(request, pk)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    numbers = {v.number: v for v in versions}
    diff = None
    older = newer = None
    if "from" in request.GET or "to" in request.GET:
        try:
            older = numbers[int(request.GET.get("from", ""))]
            newer = numbers[int(request.GET.get("to", ""))]
        except (KeyError, ValueError):
            raise Http404 from None
        if older.number > newer.number:
            older, newer = newer, older
        diff = compare(older.content, newer.content)
    elif len(versions) >= 2:
        # By default: the latest version against the one submitted before it (what the
        # secretariat last reviewed), or else the one before.
        newer = versions[0]
        older = next((v for v in versions[1:] if v.status == ReportStatus.SUBMITTED), versions[1])
    return render(
        request,
        "portal/report_versions.html",
        {
            **report_page(request, report),
            "versions": versions,
            "diff": diff,
            "older": older,
            "newer": newer,
        },
    )
