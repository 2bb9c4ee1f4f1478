"""The secretariat's daily schedule of background jobs (an editable stand-in for
django-celery-beat, which does not support this Django version).

Celery beat only ticks (``organisations.tasks.run_due_schedules``, every SCHEDULE_TICK_SECONDS);
the times of day, time zones and on/off switches live in ``ScheduledJob`` rows that the
secretariat edits in the back office.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledJob

logger = logging.getLogger(__name__)


def local_today(job: ScheduledJob, now: datetime.datetime | None = None) -> datetime.date:
    """Today's date where the job runs."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(job.time_zone)).date()


def next_run(job: ScheduledJob, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the job will next start (within a tick), in its time zone; None if disabled."""
    if not job.is_enabled:
        return None
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(job.time_zone)
    local = now.astimezone(zone)
    day = local.date()
    if job.last_run_on is not None and job.last_run_on >= day:
        day += datetime.timedelta(days=1)
    planned = datetime.datetime.combine(day, job.run_at, tzinfo=zone)
    return max(planned, local)  # Its time has passed today and it has not run: the next tick.


def start_job(job: ScheduledJob) -> None:
    """Queue the job's task once the surrounding transaction commits. The task takes no
    arguments: it works out its own dates (the reminders, in each edition's time zone)."""
    task = import_string(job.job)
    transaction.on_commit(task.delay)


def schedules_run_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Start every enabled job whose time of day has passed in its time zone and that has not
    started on that local day; returns the jobs started.

    Guarantees: a job starts at most once per local day. The day is claimed with a conditional
    UPDATE (``last_run_on`` before today), which only one of two overlapping ticks can win;
    the task is queued after that claim commits. The job itself is idempotent too, so a
    "run now" from the back office on the same day does no harm.
    """
    now = now or timezone.now()
    started = []
    for job in ScheduledJob.objects.filter(is_enabled=True):
        try:
            zone = zoneinfo.ZoneInfo(job.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.error("Scheduled job %s has an unknown time zone %r", job.job, job.time_zone)
            continue
        local = now.astimezone(zone)
        if local.time() < job.run_at:
            continue
        today = local.date()
        with transaction.atomic():
            claimed = (
                ScheduledJob.objects.filter(pk=job.pk, is_enabled=True)
                .filter(Q(last_run_on__isnull=True) | Q(last_run_on__lt=today))
                .update(last_run_on=today, last_run_at=now)
            )
            if claimed:
                start_job(job)
                started.append(job.job)
    return started


@transaction.atomic
def schedule_run_now(*, job: ScheduledJob) -> datetime.date:
    """Start a job now, whatever its time of day (the back office's "run now"); it counts as
    today's run in its time zone, which is returned. The jobs are idempotent: what already went
    out today does not go out again."""
    day = local_today(job)
    ScheduledJob.objects.filter(pk=job.pk).update(last_run_on=day, last_run_at=timezone.now())
    start_job(job)
    return day


def schedule_record_result(*, job: str, result: str) -> None:
    """Note on the job's row how its last run ended (shown in the back office)."""
    ScheduledJob.objects.filter(job=job).update(
        last_finished_at=timezone.now(), last_result=result[:300]
    )
