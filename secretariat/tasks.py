"""Background work of the secretariat's screens."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .dossiers import dossier_store, dossiers_delete_old


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
