"""The demo editions' lifecycle, through the services: each edition in ``editions.yaml`` names
the status it has (``status``), and the secretariat's account takes it there step by step, so
its history says who moved it and when.

The catalogue makes every edition in preparation. Before the applications are built, each call
opens: the open call's with its window; the running edition's call, whose deadline is long past
(the service rightly refuses to open a call that closes in the past), for the time the loader
builds its applications (the *replay*). After them, each edition moves on to the status it
names: the replayed call closes and the edition runs (its applications are decided), and
editions without a call (2022, 2023) run and close. The replayed call's dates are then put back
(an update: nobody ever sees the window open). The history rows tell the truth: each step was
taken when the loader ran. A later run finds every edition where it should be and does nothing.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

from programme.models import Edition, EditionStatusChange
from programme.services import (
    edition_close,
    edition_close_call,
    edition_open_call,
    edition_start_running,
)
from programme.workflow import EditionStatus

from .base import Loader
from .files import read

E = EditionStatus
# How long the replayed window of a closed call stays open (the loader takes seconds).
REPLAY_WINDOW = datetime.timedelta(hours=1)


@contextlib.contextmanager
def editions_moving(loader: Loader) -> Iterator[None]:
    """Open the calls for the ``with`` block (the applications), then take every edition to
    the status its data names."""
    data = read("editions")
    secretary = loader.users[data["secretariat"]]
    targets = {
        loader.editions[item["key"]]: item.get("status", E.DRAFT) for item in data["editions"]
    }
    replayed = {}
    for edition, target in targets.items():
        if target != E.DRAFT and edition.status == E.DRAFT and edition.has_call:
            window = (edition.application_opens_at, edition.application_closes_at)
            now = timezone.now()
            if window[1] <= now:
                replayed[edition.pk] = window
                window = (now - datetime.timedelta(minutes=1), now + REPLAY_WINDOW)
            step(
                loader,
                edition_open_call,
                edition,
                secretary,
                opens_at=window[0],
                closes_at=window[1],
            )
    yield
    for edition, target in targets.items():
        if target in (E.RUNNING, E.CLOSED):
            edition.refresh_from_db()
            if edition.status == E.CALL_OPEN:
                step(loader, edition_close_call, edition, secretary)
            if edition.status in (E.DRAFT, E.REVIEW):
                step(loader, edition_start_running, edition, secretary)
        if target == E.CLOSED and edition.status == E.RUNNING:
            step(loader, edition_close, edition, secretary)
    for pk, (opens, closes) in replayed.items():
        # An update, not a save: the edition's ``updated_at`` does not move for a replay.
        Edition.objects.filter(pk=pk).update(
            application_opens_at=opens, application_closes_at=closes
        )


def step(loader: Loader, service, edition: Edition, secretary, **options) -> None:
    """Take one step of ``edition`` with ``service``; the edition object follows it."""
    moved = service(edition=edition, actor=secretary, **options)
    for name in ("status", "application_opens_at", "application_closes_at"):
        setattr(edition, name, getattr(moved, name))
    loader.count(EditionStatusChange, "created")
