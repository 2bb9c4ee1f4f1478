"""Background work of the programme app."""

from __future__ import annotations

from celery import shared_task

from .services import editions_close_due_calls


@shared_task(acks_late=True, reject_on_worker_lost=True)
def close_due_calls() -> str:
    """The daily job closing the calls whose deadline has passed (open → review). Safe to run
    twice, or twice at once: a call is closed once."""
    closed = editions_close_due_calls()
    return f"{len(closed)} calls closed"
