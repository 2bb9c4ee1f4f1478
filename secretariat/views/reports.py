"""The secretariat's review of a submitted report: accept it, or send it back with comments
per section (kept against the version reviewed)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.views import held_post, release_held_post
from core.workflow import labelled
from reports import services
from reports.models import Attachment, PublicResult, Report, ReportSection
from reports.versions import section_texts, snapshot
from reports.workflow import ReportStatus

from ..forms import ReportReviewForm, ResultsForm
from .access import secretariat_required


@secretariat_required
def report_review(request, pk: int):
    """The secretariat's review: accept the report, or send it back with comments per section."""
    report = get_object_or_404(
        Report.objects.select_related(
            "initiative__lead_organisation", "initiative__edition", "updated_by"
        ),
        pk=pk,
    )
    form = ReportReviewForm(request.POST if request.method == "POST" else held_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            if "accept" in request.POST:
                services.report_accept(
                    report=report, actor=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The report was accepted."))
            else:
                services.report_request_changes(
                    report=report,
                    actor=request.user,
                    comments=form.section_comments(),
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("The report was sent back for changes."))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            return redirect("secretariat:report_review", pk=report.pk)
    content = snapshot(report)
    sections = section_texts(content)
    return render(
        request,
        "secretariat/report_review.html",
        {
            "report": report,
            "can_write": False,
            "is_secretariat": True,
            "form": form,
            "sections": sections,
            "review_fields": _review_fields(form, sections),
            "attachments": list(report.attachments.all()),
            "history": labelled(report.history.select_related("actor"), ReportStatus),
            "can_review": report.status == ReportStatus.SUBMITTED,
        },
    )


def _review_fields(form, sections) -> list[tuple[str, str, list, object]]:
    """(key, label, [(label, text) of the report], comment field) per commentable section."""
    labels = dict(ReportSection.choices)
    grouped = []
    for key in ReportSection.values:
        if key == ReportSection.NARRATIVES:
            parts = [(label, text) for k, label, text in sections if k.startswith("narrative:")]
        else:
            parts = [("", text) for k, _label, text in sections if k == key]
        grouped.append((key, labels[key], parts, form.section_field(key)))
    return grouped


@secretariat_required
def report_results(request, pk: int):
    """What the public page of the initiative shows of its accepted final report: the
    highlights and the photos the people shown agreed to publish, ticked by the secretariat."""
    report = get_object_or_404(
        Report.objects.select_related(
            "initiative__lead_organisation", "initiative__edition", "updated_by"
        ),
        pk=pk,
    )
    photos = list(
        report.attachments.filter(kind=Attachment.Kind.PHOTO)
        .select_related("public_result__published_by", "public_result__withdrawn_by")
        .order_by("pk")
    )
    highlights = (
        report.public_results.filter(kind=PublicResult.Kind.HIGHLIGHTS)
        .select_related("published_by", "withdrawn_by")
        .first()
    )
    form = ResultsForm(
        request.POST if request.method == "POST" else held_post(request), photos=photos
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.results_publish(
                report=report,
                actor=request.user,
                highlights=form.cleaned_data["highlights"],
                photos=form.cleaned_data["photos"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            release_held_post(request)
            messages.success(request, _("The public page of the initiative was updated."))
            return redirect("secretariat:report_results", pk=report.pk)
    for photo in photos:
        photo.result = getattr(photo, "public_result", None)
    return render(
        request,
        "secretariat/report_results.html",
        {
            "report": report,
            "can_write": False,
            "is_secretariat": True,
            "can_publish": services.can_publish_results(report),
            "highlights": highlights,
            "photos": photos,
        },
    )
