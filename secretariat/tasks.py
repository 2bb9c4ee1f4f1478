"""Background work of the secretariat app."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .dossiers import dossier_store, dossiers_delete_old
from .services.retention import retention_apply


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_dossiers(user_id: int, ids: list[int], language: str, token: str) -> str:
    """Build the audit dossiers of the initiatives ``ids`` for the person ``user_id`` and email
    them the link (``dossier_store``). Safe to run twice: the same token, one file, one email."""
    user = get_user_model().objects.get(pk=user_id)
    return dossier_store(ids=ids, language=language, requested_by=user, token=token)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def delete_old_dossiers() -> str:
    """The daily job deleting the dossiers the worker stored more than a week ago. Safe to run
    twice, or twice at once."""
    return f"{dossiers_delete_old()} dossiers deleted"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_run(export_id: int) -> str:
    """Write one large export and notify the person who asked for it. Safe to run twice: a
    finished export is not written again (nor notified twice)."""
    from .exports import export_write
    from .models import Export

    export = Export.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None:
        return "gone"
    try:
        return export_write(export=export).status
    except Exception as error:
        Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
            status=Export.Status.FAILED, error=repr(error)[:2000]
        )
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_exports() -> str:
    """The daily job deleting the files of the exports past their time. Safe to run twice."""
    from .exports import exports_clear_expired

    return f"{exports_clear_expired()} export files deleted"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_retention() -> str:
    """The daily job of the retention schedule (``services.retention``). Safe to run twice."""
    run = retention_apply()
    return (
        f"{run.applications_anonymised} declined applications anonymised, "
        f"{run.drafts_deleted} drafts deleted"
    )
