"""Background work of the reports app."""

from __future__ import annotations

import datetime

from celery import shared_task

from .services.reminders import reminder_scan


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_report_reminders(today: str | None = None) -> str:
    """The daily reminder scan, for ``today`` (ISO date) or, by default, for the current date
    in each edition's time zone. Safe to run twice, or twice at once: each reminder goes out
    once."""
    return str(reminder_scan(today=datetime.date.fromisoformat(today) if today else None))
