"""A rebuild of the open-data files after public content changes, debounced: the first change
queues one build ``OPEN_DATA_REBUILD_DELAY`` seconds later and the changes that follow ride
along with it (a flag in the cache says one is queued). Without the cache or the broker, the
nightly job still rebuilds the files."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

PENDING_KEY = "opendata:rebuild-pending"


def request_rebuild(**_kwargs) -> None:
    """Signal receiver: public content changed; rebuild the files a little later, once."""
    if settings.OPEN_DATA_REBUILD_DELAY is None:
        return
    transaction.on_commit(queue_rebuild)


def queue_rebuild() -> bool:
    """Queue a build in ``OPEN_DATA_REBUILD_DELAY`` seconds unless one is queued already;
    True when this call queued it."""
    from ..tasks import build_open_data

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
