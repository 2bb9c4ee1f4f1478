"""The daily reminder scan: 14 days before, 3 days before, overdue then weekly, once each."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import close_old_connections

from notifications.models import Notification, ScheduledJob
from reports.models import Reminder
from reports.services import ReportContent, report_save, report_submit
from reports.services.reminders import reminder_for, reminder_scan, reminders_send
from reports.tasks import send_report_reminders
from tests.factories import OrganisationFactory

from .factories import ReportFactory, member_of

DUE = datetime.date(2026, 6, 30)


def day(offset: int) -> datetime.date:
    """The scan's date ``offset`` days from the due date (negative: before it)."""
    return DUE + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("days_before_due", "expected"),
    [
        (15, None),
        (14, ("due_14", 0)),
        (4, ("due_14", 0)),
        (3, ("due_3", 0)),
        (0, ("due_3", 0)),
        (-1, ("overdue", 0)),
        (-7, ("overdue", 0)),
        (-8, ("overdue", 1)),
        (-15, ("overdue", 2)),
    ],
)
def test_which_reminder_a_day_calls_for(days_before_due, expected):
    assert reminder_for(due_on=DUE, today=day(-days_before_due)) == expected


@pytest.fixture
def report(db):
    return ReportFactory(due_on=DUE)


@pytest.fixture
def members(report):
    organisation = report.initiative.lead_organisation
    return [
        member_of(organisation, email="ana@example.org", language="en"),
        member_of(organisation, email="luc@example.org", language="fr"),
    ]


def scan(today, capture):
    with capture(execute=True):
        return reminders_send(today=today)


def test_each_member_is_reminded_in_their_language_with_a_link_to_the_report(
    report, members, django_capture_on_commit_callbacks
):
    member_of(report.initiative.lead_organisation, email="gone@example.org", is_active=False)
    member_of(OrganisationFactory(), email="other@example.org")  # another organisation

    result = scan(day(-14), django_capture_on_commit_callbacks)

    assert result.sent == {"due_14": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "luc@example.org"]
    french = Notification.objects.get(email="luc@example.org")
    assert french.kind == "report_due_14"
    assert french.language == "fr"
    assert french.path.startswith("/fr/portal/")
    assert french.context == {
        "initiative": report.initiative.title,
        "organisation": report.initiative.lead_organisation.name,
        "report_kind": "interim",
        "due_on": "2026-06-30",
    }
    reminder = Reminder.objects.get(recipient=members[1])
    assert french.key == f"reminder:{reminder.pk}"
    english = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "is due on June 30, 2026" in english.body
    assert "/en/portal/" in english.body


def test_a_scan_run_twice_reminds_once(report, members, django_capture_on_commit_callbacks):
    scan(day(-14), django_capture_on_commit_callbacks)
    again = scan(day(-14), django_capture_on_commit_callbacks)
    later = scan(day(-10), django_capture_on_commit_callbacks)  # still the 14-day reminder
    assert again.sent == {} and again.already_sent == 2
    assert later.sent == {} and later.already_sent == 2
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_the_whole_sequence_before_and_after_the_due_date(
    report, members, django_capture_on_commit_callbacks
):
    ana = members[0]
    for offset in range(-20, 30):
        scan(day(offset), django_capture_on_commit_callbacks)
    reminders = list(
        Reminder.objects.filter(recipient=ana)
        .order_by("created_at", "pk")
        .values_list("kind", "sequence")
    )
    # 14 days before, 3 days before, then the day after the due date and weekly after that.
    assert reminders == [
        ("due_14", 0),
        ("due_3", 0),
        ("overdue", 0),
        ("overdue", 1),
        ("overdue", 2),
        ("overdue", 3),
        ("overdue", 4),
    ]
    kinds = [n.kind for n in Notification.objects.filter(recipient=ana).order_by("pk")]
    assert kinds == ["report_due_14", "report_due_3"] + ["report_overdue"] * 5
    assert len(mail.outbox) == 14


def test_a_scan_that_missed_days_catches_up_with_the_current_reminder_only(
    report, members, django_capture_on_commit_callbacks
):
    result = scan(day(20), django_capture_on_commit_callbacks)
    assert result.sent == {"overdue": 2}
    assert set(Reminder.objects.values_list("kind", "sequence")) == {("overdue", 2)}


def test_a_submitted_report_is_not_chased(report, members, django_capture_on_commit_callbacks):
    ana = members[0]
    with django_capture_on_commit_callbacks(execute=True):
        saved = report_save(
            report=report,
            actor=ana,
            content=ReportContent(challenges="Funding.", lessons="Plan early."),
            read_version=report.version,
        )
    # A draft is still open: it is reminded.
    assert scan(day(-3), django_capture_on_commit_callbacks).sent == {"due_3": 2}
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=saved, actor=ana)
    assert scan(day(2), django_capture_on_commit_callbacks).sent == {}


def test_two_scans_at_the_same_moment_remind_once(
    report, members, transactional_db, django_capture_on_commit_callbacks
):
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(reminders_send(today=day(-3)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sum(sum(r.sent.values()) for r in results) == 2
    assert sum(r.already_sent for r in results) == 2
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_task_records_its_result_on_the_schedule(report, members):
    ScheduledJob.objects.get_or_create(job="report_reminders")
    send_report_reminders.delay(today=day(-14).isoformat())
    job = ScheduledJob.objects.get(job="report_reminders")
    assert job.last_result == "2026-06-16: due_14: 2, due_3: 0, overdue: 0; already sent: 0"
    assert job.last_finished_at is not None
    assert str(reminder_scan(today=day(-14))).endswith("already sent: 2")


def test_without_a_date_each_edition_counts_days_in_its_own_time_zone(
    db, django_capture_on_commit_callbacks
):
    from tests.factories import EditionFactory, InitiativeFactory

    now = datetime.datetime(2026, 6, 16, 12, 0, tzinfo=datetime.UTC)
    due = datetime.date(2026, 6, 20)
    # Already the 17th in Kiritimati (UTC+14), still the 16th in Pago Pago (UTC−11).
    ahead = ReportFactory(
        due_on=due,
        initiative=InitiativeFactory(
            edition=EditionFactory(application_time_zone="Pacific/Kiritimati")
        ),
    )
    behind = ReportFactory(
        due_on=due,
        initiative=InitiativeFactory(
            edition=EditionFactory(application_time_zone="Pacific/Pago_Pago")
        ),
    )
    member_of(ahead.initiative.lead_organisation)
    member_of(behind.initiative.lead_organisation)
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_send(now=now)
    assert Reminder.objects.get(report=ahead).kind == "due_3"  # 3 days left there
    assert Reminder.objects.get(report=behind).kind == "due_14"  # 4 days left there
    assert str(result) == "today: due_14: 1, due_3: 1, overdue: 0; already sent: 0"
