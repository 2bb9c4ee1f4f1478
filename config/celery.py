"""The Celery application.

Settings come from Django's, under the CELERY_ namespace. With no broker configured
(the quick start), config.settings.base turns on eager mode so that tasks run in-process.

Beat's schedule is fixed here and only ticks: what runs when (the daily reminder scan at 07:00
Europe/Paris, say) is in the back office's "Scheduled jobs", which the secretariat edits, and
the tick starts each job once on its day (notifications.services.schedules).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("grantsprogramme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often beat looks at the schedules (seconds); read here, before Django's settings exist.
TICK_SECONDS = float(os.environ.get("SCHEDULE_TICK_SECONDS", "300"))
# How often beat hands the worker again the notifications whose task was lost (a Redis outage
# when they were queued); see NOTIFICATION_REQUEUE_AFTER in the settings.
SWEEP_SECONDS = float(os.environ.get("NOTIFICATION_SWEEP_SECONDS", "30"))

app.conf.beat_schedule = {
    "run-due-schedules": {
        "task": "notifications.tasks.run_due_schedules",
        "schedule": TICK_SECONDS,
        # A tick still waiting when the next one comes is useless: let the worker drop it.
        "options": {"expires": TICK_SECONDS * 0.8},
    },
    "requeue-stale-notifications": {
        "task": "notifications.tasks.requeue_stale_notifications",
        "schedule": SWEEP_SECONDS,
        "options": {"expires": SWEEP_SECONDS * 0.8},
    },
}
