"""The open-data build with a real Celery worker on Redis (not eager): changes to public
content queue one build for later (debounced), the worker rebuilds the files, and the task run
twice at once leaves whole, valid files."""

from __future__ import annotations

import json
import shutil

import pytest
import redis
from django.core.cache import cache
from django.db import transaction

from public.opendata.files import folder, path_of, read_index
from public.opendata.schedule import PENDING_KEY
from public.tasks import build_open_data
from tests.factories import InitiativeFactory
from tests.notifications.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_folder():
    """The worker writes under the test settings' MEDIA_ROOT, as this process reads."""
    shutil.rmtree(folder(), ignore_errors=True)
    cache.delete(PENDING_KEY)
    yield
    shutil.rmtree(folder(), ignore_errors=True)
    cache.delete(PENDING_KEY)


def titles() -> list[str]:
    """The grants' titles once a build has finished (its index written last)."""
    if "activities-iati.xml" not in read_index():
        return []
    try:
        return [
            grant["title"]
            for grant in json.loads(path_of("grants-360giving.json").read_text())["grants"]
        ]
    except (FileNotFoundError, ValueError):
        return []


def test_changes_queue_one_build_that_the_worker_runs(
    start_worker, celery_broker, empty_folder, settings
):
    settings.OPEN_DATA_REBUILD_DELAY = 2
    with transaction.atomic():
        initiative = InitiativeFactory(title_en="Harm reduction on the river")
    for title in ("Harm reduction on the river, again", "Harm reduction on the river banks"):
        with transaction.atomic():
            initiative.title_en = title
            initiative.save()
    # Three commits, one build waiting in the queue (it runs in two seconds).
    queue = redis.Redis.from_url(celery_broker["url"])
    assert queue.llen(f"{celery_broker['prefix']}celery") == 1

    start_worker()
    wait_until(
        lambda: titles() == ["Harm reduction on the river banks"],
        message="The worker did not build the files.",
    )
    assert read_index()["activities-iati.xml"]["records"] == 1


def test_the_build_run_twice_at_once_leaves_whole_files(start_worker, empty_folder):
    with transaction.atomic():
        InitiativeFactory(title_en="Peer support")
    start_worker()
    build_open_data.delay()
    build_open_data.delay()
    wait_until(lambda: titles() == ["Peer support"], message="The files were not built.")
    first = read_index()
    with transaction.atomic():
        InitiativeFactory(title_en="Drop-in centre")
    build_open_data.delay()
    old = first["grants-360giving.json"]["sha256"]

    def rebuilt():
        index = read_index()
        done = sorted(titles()) == ["Drop-in centre", "Peer support"]
        return done and index.get("grants-360giving.json", {}).get("sha256") != old

    wait_until(rebuilt, message="The change was not built.")
    # A build still running writes under temporary names; none is left behind.
    wait_until(lambda: not list(folder().glob(".*.tmp")), message="Temporary files left.")
