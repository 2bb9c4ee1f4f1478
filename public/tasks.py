"""Background work of the public site."""

from __future__ import annotations

from celery import shared_task

from .opendata.files import open_data_build
from .opendata.schedule import rebuild_started


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_open_data() -> str:
    """Rebuild the open-data files (360Giving JSON, CSV, XLSX; IATI XML): after a change to
    public content (debounced) and nightly. Safe to run twice, or twice at once: the second
    waits for the first, then builds again from the data as it is then; each file is replaced
    whole."""
    rebuild_started()
    return open_data_build()
