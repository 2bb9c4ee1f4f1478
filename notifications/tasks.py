"""Background work of the notifications app: notification emails and the scheduled jobs.

Each task takes ids (or nothing), calls one service and is safe to run twice. All of them are
``acks_late`` with ``reject_on_worker_lost``: a worker that dies mid-task leaves the message
unacknowledged, and the broker hands it to another worker (Redis: after the visibility
timeout).
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings

from .services import (
    Outcome,
    notification_send,
    notifications_requeue_stale,
    schedules_run_due,
)

# A retried send waits BACKOFF, 2×, 4×… seconds, never more than this.
MAX_COUNTDOWN = 3600


def retry_countdown(retries: int) -> float:
    return min(settings.NOTIFICATION_RETRY_BACKOFF * 2**retries, MAX_COUNTDOWN)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def send_notification(self, notification_id: int) -> str:
    """Send one notification email, once (see ``notification_send``).

    A temporary mail-server failure is retried with exponential back-off; the number of
    attempts is counted on the row (not in the message), so redeliveries cannot stretch it, and
    the row records the failure after the last one.
    """
    outcome = notification_send(notification_id=notification_id)
    if self.request.is_eager:
        # In-process (quick start, tests) there is no broker to hold a delayed retry: try
        # again at once, as many times as the row allows.
        while outcome == Outcome.RETRY:
            outcome = notification_send(notification_id=notification_id)
    elif outcome == Outcome.RETRY:
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return str(outcome)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_notifications(notification_ids: list[int]) -> int:
    """Queue ``send_notification`` for each of many notifications recorded together (a bulk
    decision): the request that recorded them hands the broker one message, the worker fans
    it out. Safe to run twice: a notification already sent is skipped by its own task."""
    for notification_id in notification_ids:
        send_notification.delay(notification_id)
    return len(notification_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def requeue_stale_notifications() -> int:
    """Queue again the notifications whose task was lost (see
    ``notifications_requeue_stale``). Run by beat; running it twice queues duplicates that
    find the notification already sent."""
    return notifications_requeue_stale(
        older_than=datetime.timedelta(seconds=settings.NOTIFICATION_REQUEUE_AFTER)
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_due_schedules() -> list[str]:
    """Beat's tick: start each scheduled job whose time of day has come and that has not run
    today in its time zone. Exactly once a day even when ticks overlap (see
    ``schedules_run_due``)."""
    return schedules_run_due()
