"""The secretariat's daily schedule of background jobs (an editable stand-in for
django-celery-beat, which does not support this Django version).

Celery beat only ticks (``notifications.tasks.run_due_schedules``, every SCHEDULE_TICK_SECONDS);
the times of day, time zones and on/off switches live in ``ScheduledJob`` rows that the
secretariat edits in the back office. Which task a row starts is registered by the app that owns
it (``notifications.registry.register_jobs``).
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ScheduledJob
from ..registry import JOBS

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


def start_job(job: ScheduledJob) -> bool:
    """Queue the job's task once the surrounding transaction commits. The task takes no
    arguments: it works out its own dates (the reminders, in each edition's time zone).
    Returns False (and logs) for a row whose job no app registers."""
    registered = JOBS.get(job.job)
    if registered is None:
        logger.error("Scheduled job %r is not registered by any app: not started.", job.job)
        return False
    transaction.on_commit(registered.task.delay)
    return True


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
            if claimed and start_job(job):
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


def schedules_ensure(apps=None) -> list[str]:
    """Give every registered job a row in the schedule (enabled, at its default time) if it
    has none; returns the jobs added. Runs after every migrate, so a job an app registers
    appears in the back office without a migration of its own. ``apps`` is the state the
    migrations left (post_migrate's): after migrating the notifications app back to before its
    tables existed, there is nothing to do."""
    if apps is not None:
        try:
            apps.get_model("notifications", "ScheduledJob")
        except LookupError:
            return []
    added = []
    for key in JOBS:
        _job, created = ScheduledJob.objects.get_or_create(job=key)
        if created:
            added.append(key)
    return added
