"""The secretariat's daily schedule: due jobs start once a day, in their time zone."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import close_old_connections
from django.urls import reverse

from core.staff import SECRETARIAT, sync_staff_groups
from notifications.models import ScheduledJob
from notifications.services import schedules_run_due
from reports import tasks as report_tasks
from tests.factories import UserFactory

UTC = datetime.UTC
JOB = "report_reminders"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def started(monkeypatch):
    """The job's task calls, instead of running it."""
    calls = []
    monkeypatch.setattr(report_tasks.send_report_reminders, "delay", lambda: calls.append(JOB))
    return calls


def only_the_reminders() -> None:
    """The other apps' daily jobs (closing the calls...) stay out of these ticks."""
    ScheduledJob.objects.exclude(job=JOB).update(is_enabled=False)


@pytest.fixture
def job(db):
    only_the_reminders()
    job, _created = ScheduledJob.objects.update_or_create(
        job=JOB,
        defaults={
            "run_at": datetime.time(7, 0),
            "time_zone": "America/Bogota",  # UTC−5, no summer time
            "is_enabled": True,
            "last_run_on": None,
        },
    )
    return job


def tick(now, capture):
    with capture(execute=True):
        return schedules_run_due(now=now)


def test_the_migration_schedules_the_reminder_scan(db):
    job = ScheduledJob.objects.get(job=JOB)
    assert job.is_enabled
    assert job.run_at == datetime.time(7, 0)


def test_a_job_starts_once_its_local_time_has_come_and_once_a_day(
    job, started, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert tick(at(2026, 6, 16, 11, 55), capture) == []  # 06:55 in Bogotá
    assert tick(at(2026, 6, 16, 12, 0), capture) == [JOB]  # 07:00
    assert tick(at(2026, 6, 16, 12, 5), capture) == []
    assert tick(at(2026, 6, 17, 3, 0), capture) == []  # 22:00 on the 16th in Bogotá
    assert tick(at(2026, 6, 17, 12, 0), capture) == [JOB]
    assert started == [JOB, JOB]
    job.refresh_from_db()
    assert job.last_run_on == datetime.date(2026, 6, 17)
    assert job.last_run_at == at(2026, 6, 17, 12, 0)


def test_the_day_is_the_local_day(job, started, django_capture_on_commit_callbacks):
    job.time_zone, job.run_at = "Asia/Tokyo", datetime.time(7, 0)  # UTC+9
    job.save()
    # 23:30 UTC on the 15th is 08:30 on the 16th in Tokyo.
    assert tick(at(2026, 6, 15, 23, 30), django_capture_on_commit_callbacks) == [JOB]
    assert started == [JOB]
    job.refresh_from_db()
    assert job.last_run_on == datetime.date(2026, 6, 16)


def test_a_disabled_job_does_not_start(job, started, django_capture_on_commit_callbacks):
    job.is_enabled = False
    job.save()
    assert tick(at(2026, 6, 16, 18, 0), django_capture_on_commit_callbacks) == []
    assert started == []


def test_overlapping_ticks_start_the_job_once(transactional_db, started):
    only_the_reminders()
    ScheduledJob.objects.update_or_create(
        job=JOB, defaults={"run_at": datetime.time(0, 0), "time_zone": "UTC", "last_run_on": None}
    )
    barrier = threading.Barrier(3)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(schedules_run_due(now=at(2026, 6, 16, 9, 0)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [[], [], [JOB]]
    assert started == [JOB]


def test_the_beat_schedule_ticks_the_schedules():
    from config import celery_app

    entries = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "notifications.tasks.run_due_schedules" in entries
    assert "notifications.tasks.requeue_stale_notifications" in entries


# --- back office ---------------------------------------------------------------------------------


@pytest.fixture
def secretariat_client(client, db):
    if not Group.objects.filter(name=SECRETARIAT).exists():
        sync_staff_groups()
    user = UserFactory(email="secretary@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(user)
    return client


def test_the_secretariat_sees_and_edits_the_schedule(secretariat_client, job):
    changelist = secretariat_client.get(reverse("admin:notifications_scheduledjob_changelist"))
    assert changelist.status_code == 200
    assert "Report reminders" in changelist.text
    assert "America/Bogota" in changelist.text

    url = reverse("admin:notifications_scheduledjob_change", args=[job.pk])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    assert 'name="run_at"' in page.text and 'name="time_zone"' in page.text

    response = secretariat_client.post(
        url, {"is_enabled": "on", "run_at": "06:30", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.run_at, job.time_zone) == (datetime.time(6, 30), "Europe/Paris")


def test_a_wrong_time_zone_is_refused_and_nothing_changes(secretariat_client, job):
    url = reverse("admin:notifications_scheduledjob_change", args=[job.pk])
    response = secretariat_client.post(
        url, {"is_enabled": "on", "run_at": "06:30", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "is not a time zone name" in response.text
    assert 'value="Mars/Olympus"' in response.text  # what was typed is kept
    job.refresh_from_db()
    assert job.time_zone == "America/Bogota"


def test_the_secretariat_can_run_a_job_now(secretariat_client, job, started):
    response = secretariat_client.post(
        reverse("admin:notifications_scheduledjob_changelist"),
        {"action": "run_now", "_selected_action": [job.pk]},
        follow=True,
    )
    assert "1 job started" in response.text
    job.refresh_from_db()
    assert job.last_run_on is not None


def test_the_next_run_is_shown_in_the_jobs_time_zone(job):
    from zoneinfo import ZoneInfo

    from notifications.services.schedules import next_run

    bogota = ZoneInfo("America/Bogota")
    # 06:00 in Bogotá, not run today: today at 07:00.
    assert next_run(job, at(2026, 6, 16, 11, 0)) == datetime.datetime(
        2026, 6, 16, 7, 0, tzinfo=bogota
    )
    job.last_run_on = datetime.date(2026, 6, 16)
    assert next_run(job, at(2026, 6, 16, 13, 0)) == datetime.datetime(
        2026, 6, 17, 7, 0, tzinfo=bogota
    )
    job.is_enabled = False
    assert next_run(job) is None


def test_the_change_page_shows_the_next_run(secretariat_client, job):
    page = secretariat_client.get(reverse("admin:notifications_scheduledjob_change", args=[job.pk]))
    assert "Next run" in page.text
    assert "(America/Bogota)" in page.text
