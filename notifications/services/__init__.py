"""Writes of the notifications app: recording and sending notifications (``sending``),
starting the daily jobs (``schedules``), and the secretariat's staff notes (``notes``)."""

from .notes import StaffNoteError, staff_note_add
from .schedules import (
    schedule_record_result,
    schedule_run_now,
    schedules_ensure,
    schedules_run_due,
)
from .sending import (
    Outcome,
    notification_resend,
    notification_send,
    notifications_requeue_stale,
    notify,
    notify_addresses,
    notify_many,
)

__all__ = [
    "Outcome",
    "notification_resend",
    "notification_send",
    "notifications_requeue_stale",
    "notify",
    "notify_addresses",
    "notify_many",
    "schedule_record_result",
    "schedule_run_now",
    "schedules_ensure",
    "schedules_run_due",
    "staff_note_add",
    "StaffNoteError",
]
