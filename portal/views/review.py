"""The review panel's pages (namespace "review").

A reviewer reaches only their own assignments. Before the application's content is shown they
declare whether they have a conflict of interest; a conflict recuses them and from then on the
application is a 404 to them, as is any application they were not given. Where the edition
hides applicants' identity, nothing on these pages names the applicant organisation.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import private_file_response
from core.translation import with_translations
from grants import services
from grants.models import Review, ReviewAssignment
from grants.selectors.applications import my_assignments, reviewable_assignments
from grants.workflow import IN_REVIEW
from notifications.selectors import staff_notes
from programme.models import ReviewCriterion

from ..forms.review import ConflictForm, ReviewForm
from .access import edition_long_texts

Conflict = ReviewAssignment.Conflict


# Assignments per page of the reviewer's list.
PAGE_SIZE = 25


@login_required
def assignment_list(request):
    """The reviewer's assignments, the latest call first, a page at a time."""
    page = Paginator(
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("application__edition", "application__organisation", "review")
        # What the list shows: the editions' and organisations' long texts in every language
        # (a hundred columns a row) would cost more to read than the page to render.
        .only(
            "is_recused",
            "conflict",
            "application__title",
            "application__edition__hide_applicant_identity",
            "application__edition__original_language",
            *with_translations("application__edition__title"),
            "application__organisation__name",
            "review__submitted_at",
        )
        .order_by("-application__edition__year", "application__submitted_at", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request, "portal/review/list.html", {"assignments": page.object_list, "page": page}
    )


def _assignment(request, pk: int) -> ReviewAssignment:
    return get_object_or_404(
        my_assignments(request.user)
        .select_related("application__edition__programme", "application__organisation")
        .defer(*edition_long_texts("application__edition")),
        pk=pk,
    )


@login_required
def conflict(request, pk: int):
    """Declare a conflict of interest (or none) before reading the application."""
    assignment = _assignment(request, pk)
    if assignment.conflict == Conflict.NONE:
        return redirect("review:assignment", pk=assignment.pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        has_conflict = form.cleaned_data["conflict"] == "conflict"
        try:
            services.conflict_declare(
                assignment=assignment,
                actor=request.user,
                has_conflict=has_conflict,
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("review:list")
        if has_conflict:
            messages.success(
                request,
                _("Thank you. You are recused from this application and will not see it."),
            )
            return redirect("review:list")
        return redirect("review:assignment", pk=assignment.pk)
    return render(request, "portal/review/conflict.html", {"assignment": assignment, "form": form})


@login_required
def assignment_detail(request, pk: int):
    """The application's content and the scoring form (read-only once submitted)."""
    assignment = _assignment(request, pk)
    if assignment.conflict != Conflict.NONE:
        return redirect("review:conflict", pk=assignment.pk)
    application = assignment.application
    edition = application.edition
    criteria = list(ReviewCriterion.objects.filter(edition=edition))
    for criterion in criteria:
        criterion.edition = edition  # read already: no join to it again
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    initial = {}
    if review is not None:
        initial = {f"criterion_{s.criterion_id}": s.score for s in review.scores.all()}
        initial.update(recommendation=review.recommendation, comment=review.comment)
    is_open = application.status in IN_REVIEW and not (review and review.submitted_at)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and is_open and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.review_save(
                assignment=assignment,
                actor=request.user,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except DomainError as error:
            for name, message in error.errors.items():
                if name in form.fields:
                    form.add_error(name, message)
            messages.error(request, error.message)
        else:
            if submit:
                messages.success(request, _("Your review is submitted. Thank you!"))
                return redirect("review:list")
            messages.success(request, _("Your review is saved; submit it when it is complete."))
            return redirect("review:assignment", pk=assignment.pk)
    scores = {}
    if review is not None:
        scores = {s.criterion_id: s.score for s in review.scores.all()}
    return render(
        request,
        "portal/review/assignment.html",
        {
            "assignment": assignment,
            "application": application,
            "edition": edition,
            "hide_identity": edition.hide_applicant_identity,
            "attachments": list(application.attachments.all()),
            "themes": list(application.themes.all()),
            "criteria_scores": [(c, scores.get(c.pk)) for c in criteria],
            "review": review,
            "is_open": is_open,
            "form": form,
            # The secretariat's staff notes it marked for the reviewers (never the others).
            "notes": list(staff_notes(application, for_reviewers=True)),
        },
    )


@login_required
def attachment(request, pk: int, attachment_pk: int):
    """A document of an application the reviewer may read (no conflict declared)."""
    assignment = get_object_or_404(
        reviewable_assignments(request.user).select_related("application__edition"),
        pk=pk,
    )
    document = get_object_or_404(assignment.application.attachments, pk=attachment_pk)
    filename = document.original_name
    if assignment.application.edition.hide_applicant_identity:
        # The uploaded name often carries the organisation's name.
        filename = f"document-{document.pk}{document.file.name[document.file.name.rfind('.') :]}"
    return private_file_response(
        document.file, filename=filename, content_type=document.content_type
    )
