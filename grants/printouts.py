"""An application as a PDF: everything the applicant sent (the answers, the eligibility
questions and answers, the budget, the documents listed) and, for the secretariat only, the
panel's work on it (each reviewer's conflict declaration, scores per criterion and comment).

Rendered in the reader's language (the labels; what the applicant typed stays as typed) by
``core.pdf``. The caller checks who may read it and says whether the reviews go in.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext

from core.files import human_size
from core.money import format_money
from core.pdf import render_pdf
from programme.selectors import questions_of

from .models import Application, ApplicationStatusChange, ReviewAssignment, ReviewScore
from .workflow import ApplicationStatus


def _when(value) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT") if value else ""


def application_printout_context(application: Application, *, with_reviews: bool) -> dict:
    """What ``documents/application.html`` shows, read in the active language."""
    application = (
        Application.objects.select_related("edition__programme", "organisation")
        .prefetch_related("themes", "attachments")
        .get(pk=application.pk)
    )
    answers = application.eligibility_answers or {}
    yes, no = gettext("Yes"), gettext("No")
    eligibility = [
        {
            "question": question.text,
            "answer": (
                "—"
                if answers.get(str(question.pk)) is None
                else (yes if answers[str(question.pk)] else no)
            ),
        }
        for question in questions_of(application.edition)
    ]
    labels = dict(ApplicationStatus.choices)
    history = [
        {
            "at": _when(change.created_at),
            "status": str(labels.get(change.to_status, change.to_status)),
            "actor": str(change.actor or ""),
            "comment": change.comment,
        }
        for change in ApplicationStatusChange.objects.filter(application=application)
        .select_related("actor")
        .order_by("created_at", "pk")
    ]
    context = {
        "application": application,
        "status": application.get_status_display(),
        "submitted_at": _when(application.submitted_at),
        "countries": ", ".join(country.name for country in application.countries),
        "themes": ", ".join(theme.name for theme in application.themes.all()),
        "lines": [line for line in application.lines_of_action or [] if isinstance(line, dict)],
        "amount": (
            format_money(application.requested_amount, application.currency)
            if application.requested_amount is not None
            else ""
        ),
        "eligibility": eligibility,
        "attachments": [
            {
                "name": attachment.original_name,
                "description": attachment.description,
                "size": human_size(attachment.size),
                "uploaded_at": _when(attachment.uploaded_at),
            }
            for attachment in application.attachments.all()
        ],
        "history": history,
        "with_reviews": with_reviews,
        "reviews": _reviews(application) if with_reviews else [],
    }
    return context


def _reviews(application: Application) -> list[dict]:
    assignments = (
        ReviewAssignment.objects.filter(application=application)
        .select_related("reviewer", "review")
        .prefetch_related(
            Prefetch(
                "review__scores",
                queryset=ReviewScore.objects.select_related("criterion").order_by(
                    "criterion__order", "pk"
                ),
            )
        )
        .order_by("assigned_at", "pk")
    )
    reviews = []
    for assignment in assignments:
        review = getattr(assignment, "review", None)
        reviews.append(
            {
                "reviewer": assignment.reviewer.full_name or assignment.reviewer.email,
                "conflict": assignment.get_conflict_display(),
                "conflict_note": assignment.conflict_note,
                "is_recused": assignment.is_recused,
                "recommendation": review.get_recommendation_display() if review else "",
                "comment": review.comment if review else "",
                "submitted_at": _when(review.submitted_at) if review else "",
                "scores": [
                    {
                        "criterion": score.criterion.name,
                        "score": score.score,
                        "max": score.criterion.max_score,
                    }
                    for score in (review.scores.all() if review else [])
                ],
            }
        )
    return reviews


def application_pdf(application: Application, *, language: str, with_reviews: bool) -> bytes:
    """The PDF of ``application`` in ``language``; the reviews only if ``with_reviews``."""
    with translation.override(language):
        context = application_printout_context(application, with_reviews=with_reviews)
    return render_pdf("documents/application.html", context, language=language)


def application_filename(application: Application) -> str:
    return f"application-{application.pk}.pdf"
