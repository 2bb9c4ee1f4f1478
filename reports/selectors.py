"""Reads of reports that their pages share (the grantee's and the secretariat's)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from programme.models import ReportKind

from .models import EDITABLE_STATUSES, PublicResult, Report, ReviewComment
from .workflow import ReportStatus


def latest_comments(report: Report) -> dict[str, ReviewComment]:
    """The secretariat's comments of its last request for changes, by section."""
    comments = list(
        ReviewComment.objects.filter(report=report)
        .select_related("version", "author")
        .order_by("-version__number", "pk")
    )
    if not comments:
        return {}
    latest = comments[0].version_id
    return {c.section: c for c in comments if c.version_id == latest}


def last_request(report: Report):
    """The last request for changes (its history row), with who made it."""
    return (
        report.history.filter(to_status=ReportStatus.CHANGES_REQUESTED)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def initiative_results(initiative) -> list[PublicResult]:
    """What the public page of ``initiative`` shows of its results (one query): the highlights
    first, then the photos."""
    return list(PublicResult.objects.shown().filter(initiative=initiative).order_by("kind", "pk"))


def result_photos() -> QuerySet[PublicResult]:
    """Published photos of results, for a ``Prefetch`` on initiatives (the edition page)."""
    return PublicResult.objects.shown().filter(kind=PublicResult.Kind.PHOTO).order_by("pk")


def final_report_is_accepted(*, initiative) -> bool:
    """Whether the initiative's final report is accepted (every final report it owes, when the
    edition's schedule asks for several): the check ``grants.hooks.final_report_accepted``
    asks before the system completes a grant."""
    statuses = list(
        Report.objects.filter(initiative=initiative, kind=ReportKind.FINAL).values_list(
            "status", flat=True
        )
    )
    return bool(statuses) and all(status == ReportStatus.ACCEPTED for status in statuses)


# --- the secretariat dashboard ----------------------------------------------------------------

DUE_SOON_DAYS = 14


def due_soon_q(today: datetime.date) -> Q:
    """Still to hand in, due today or within ``DUE_SOON_DAYS`` days."""
    return Q(
        status__in=EDITABLE_STATUSES,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )


def overdue_q(today: datetime.date) -> Q:
    """Past its due date and not handed in (or to hand in again)."""
    return Q(status__in=EDITABLE_STATUSES, due_on__lt=today)


def report_counts(
    *, today: datetime.date, edition: int | None = None, programme: int | None = None
) -> dict[str, int]:
    """Reports due soon, overdue, and submitted waiting for the secretariat's review: one
    query, whatever the number of reports (of one edition, or one programme's editions). It
    reads only the reports to act on (by status and due date, the ``report_status_due_on``
    index), not the ones handed in or not yet due."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    reports = Report.objects.filter(
        Q(status__in=EDITABLE_STATUSES, due_on__lte=soon) | Q(status=ReportStatus.SUBMITTED)
    )
    if edition:
        reports = reports.filter(initiative__edition_id=edition)
    elif programme:
        reports = reports.filter(initiative__edition__programme_id=programme)
    return reports.order_by().aggregate(
        due_soon=Count("status", filter=due_soon_q(today)),
        overdue=Count("status", filter=overdue_q(today)),
        submitted=Count("status", filter=Q(status=ReportStatus.SUBMITTED)),
    )
