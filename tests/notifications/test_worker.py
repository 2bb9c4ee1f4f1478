"""With a real Celery worker on Redis (not eager): reminders and emails go out exactly once,
a killed worker's task is redelivered, a failing mail server is retried, then recorded."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, ScheduledJob
from notifications.services import notification_resend, notify
from notifications.tasks import run_due_schedules
from reports.models import Reminder
from reports.tasks import send_report_reminders
from tests.factories import UserFactory

from .conftest import MAX_ATTEMPTS, wait_until
from .factories import ReportFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


def notification_status(pk):
    return Notification.objects.values_list("status", flat=True).get(pk=pk)


def test_the_reminder_scan_run_twice_at_once_mails_each_person_once(start_worker, smtp_sink):
    today = timezone.localdate()
    report = ReportFactory(due_on=today + datetime.timedelta(days=14))
    member = member_of(report.initiative.lead_organisation, email="ana@example.org")
    start_worker()

    # Two scans at the same moment: the worker runs them side by side (two pool processes).
    send_report_reminders.delay(today=today.isoformat())
    send_report_reminders.delay(today=today.isoformat())

    notification = wait_until(
        lambda: Notification.objects.filter(recipient=member, status="sent").first(),
        message="The reminder was not sent.",
    )
    wait_until(lambda: len(smtp_sink.messages) >= 1)
    time.sleep(2)  # Time enough for a second email, if there were one.
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].recipients == ["ana@example.org"]
    assert notification.kind == "report_due_14"
    assert Reminder.objects.get().recipient == member
    assert Notification.objects.count() == 1


def test_a_worker_killed_mid_send_is_replaced_and_the_email_goes_out_once(start_worker, smtp_sink):
    smtp_sink.state.delay = 60  # The mail server takes its time to answer the DATA.
    user = UserFactory(email="slow@example.org")
    first = start_worker()

    with transaction.atomic():
        notification = notify(
            kind="report_submitted",
            key="kill-test",
            recipient=user,
            context={
                "initiative": "Harm reduction",
                "organisation": "ACME",
                "report_kind": "final",
            },
        )

    assert smtp_sink.state.holding.wait(30), first.output()
    first.kill()  # SIGKILL, mid-send: no ack, no commit.
    wait_until(lambda: smtp_sink.state.dropped == 1, message="The sink did not see the cut.")
    assert smtp_sink.messages == []
    # The killed worker's transaction was rolled back: nothing recorded as sent or tried.
    wait_until(
        lambda: Notification.objects.filter(
            pk=notification.pk, status="queued", attempts=0
        ).exists(),
        message="The killed worker's transaction was not rolled back.",
    )

    smtp_sink.state.delay = 0
    second = start_worker()  # Redis hands the unacknowledged task out again.
    wait_until(
        lambda: notification_status(notification.pk) == "sent",
        timeout=60,
        message=f"The task was not redelivered:\n{second.output()[-3000:]}",
    )
    time.sleep(2)  # Any second copy of the task would send now.
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].recipients == ["slow@example.org"]
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_a_failing_mail_server_is_retried_then_the_failure_is_recorded(start_worker, smtp_sink):
    smtp_sink.state.fail = True
    user = UserFactory(email="unlucky@example.org")
    start_worker()

    with transaction.atomic():
        notification = notify(
            kind="workplan_submitted",
            key="fail-test",
            recipient=user,
            context={"initiative": "Harm reduction", "organisation": "ACME"},
        )

    wait_until(
        lambda: notification_status(notification.pk) == "failed",
        message="The failure was not recorded.",
    )
    notification.refresh_from_db()
    assert notification.attempts == MAX_ATTEMPTS
    assert smtp_sink.state.attempts == MAX_ATTEMPTS
    assert "451" in notification.error
    assert smtp_sink.messages == []

    # The mail server is back; the secretariat sends the failed notification again.
    smtp_sink.state.fail = False
    notification_resend(notification=notification)
    wait_until(lambda: notification_status(notification.pk) == "sent")
    assert len(smtp_sink.messages) == 1


def test_two_beat_ticks_at_once_start_the_daily_scan_once(start_worker, smtp_sink):
    ScheduledJob.objects.update_or_create(
        job="report_reminders",
        defaults={"run_at": datetime.time(0, 0), "time_zone": "UTC", "last_run_on": None},
    )
    report = ReportFactory(due_on=timezone.localdate() - datetime.timedelta(days=1))
    member_of(report.initiative.lead_organisation, email="late@example.org")
    start_worker()

    run_due_schedules.delay()
    run_due_schedules.delay()

    job = wait_until(
        lambda: ScheduledJob.objects.filter(job="report_reminders").exclude(last_result="").first(),
        message="The scan did not run.",
    )
    wait_until(lambda: smtp_sink.messages)
    time.sleep(2)
    assert len(smtp_sink.messages) == 1
    assert smtp_sink.messages[0].message["Subject"].startswith("Overdue: the interim report")
    assert job.last_run_on == timezone.localdate()
    assert job.last_result.endswith("overdue: 1; already sent: 0")
