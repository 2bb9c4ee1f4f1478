"""Background work of the secretariat's screens."""

from __future__ import annotations

from celery import shared_task

from .services.retention import retention_apply


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_retention() -> str:
    """The daily job of the retention schedule (``services.retention``). Safe to run twice."""
    run = retention_apply()
    return (
        f"{run.applications_anonymised} declined applications anonymised, "
        f"{run.drafts_deleted} drafts deleted"
    )
