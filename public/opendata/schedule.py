"""A rebuild of the open-data files after public content changes, debounced: the first change
queues one build ``OPEN_DATA_REBUILD_DELAY`` seconds later and the changes that follow ride
along with it (a flag in the cache says one is queued). Without the cache or the broker, the
nightly job still rebuilds the files.

With no worker at all (the quick start: tasks run in-process), a change only marks the files
stale, and the data page or a file asked for next rebuilds them first (``build_if_stale``):
building once per saved row, in the request that saved it, would make a bulk change crawl."""

from __future__ import annotations

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .files import open_data_build, read_index

logger = logging.getLogger(__name__)

PENDING_KEY = "opendata:rebuild-pending"
STALE_KEY = "opendata:stale"


def in_process() -> bool:
    """No worker: Celery runs tasks in the process that queues them."""
    return bool(current_app.conf.task_always_eager)


def request_rebuild(**_kwargs) -> None:
    """Signal receiver: public content changed; rebuild the files a little later, once."""
    if settings.OPEN_DATA_REBUILD_DELAY is None:
        return
    transaction.on_commit(queue_rebuild)


def queue_rebuild() -> bool:
    """Queue a build in ``OPEN_DATA_REBUILD_DELAY`` seconds unless one is queued already;
    True when this call queued it."""
    from ..tasks import build_open_data

    if in_process():
        cache.set(STALE_KEY, 1, timeout=None)
        return False
    delay = settings.OPEN_DATA_REBUILD_DELAY or 0
    # The flag outlives the delay a little, in case the worker is busy; the task clears it.
    if not cache.add(PENDING_KEY, 1, timeout=delay + 600):
        return False
    try:
        build_open_data.apply_async(countdown=delay)
    except Exception:  # kombu's OperationalError, a refused connection: the nightly job will.
        cache.delete(PENDING_KEY)
        logger.exception("Could not queue the open-data build; the nightly job will run it.")
        return False
    return True


def rebuild_started() -> None:
    """The queued build starts: a change from now on queues another."""
    cache.delete(PENDING_KEY)


def build_if_stale() -> None:
    """Without a worker, rebuild the files now if public content changed since the last build
    (or none was made yet); with a worker (or automatic rebuilds off), do nothing."""
    if not in_process() or settings.OPEN_DATA_REBUILD_DELAY is None:
        return
    if cache.get(STALE_KEY) is None and read_index():
        return
    cache.delete(STALE_KEY)
    open_data_build()
