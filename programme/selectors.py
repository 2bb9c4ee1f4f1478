"""Reads of programmes and editions."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Edition, EligibilityQuestion
from .workflow import EditionStatus


def call_editions() -> QuerySet[Edition]:
    """Editions whose call can be shown: published, past preparation, with the window opening
    their call set."""
    return (
        Edition.objects.published()
        .exclude(status=EditionStatus.DRAFT)
        .filter(application_opens_at__isnull=False, application_closes_at__isnull=False)
    )


def questions_of(edition: Edition) -> list[EligibilityQuestion]:
    """The edition's eligibility questions, in order. The edition comes along: a question's
    text falls back to the edition's language."""
    return list(edition.eligibility_questions.select_related("edition"))
