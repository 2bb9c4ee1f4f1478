"""The daily reminder scan: reports due in 14 days, due in 3 days, and overdue (then weekly).

Beat starts it once a day at the time the secretariat set (notifications.ScheduledJob); the
back office can also "run it now". Dates are taken in each edition's time zone. Each
reminder is one ``Reminder`` row, unique per report, person, kind and sequence, and one
notification keyed on that row: a scan that runs twice, even at the same moment, reminds each
person once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from grants.workflow import InitiativeStatus
from notifications.services import notify, schedule_record_result
from organisations.models import Membership
from programme.notifications import sender_of

from .. import notifications as kinds
from ..models import Reminder, Report
from ..workflow import ReportStatus

# The key of the daily job in the back office's schedule (``ReportsConfig.ready``).
JOB = "report_reminders"

# Reports the grantee has not handed in yet. A report sent back with changes requested was
# handed in on time: the secretariat follows it up, not the due-date reminders.
OPEN_STATUSES = (ReportStatus.SCHEDULED, ReportStatus.DRAFT)
# A closed grant is not chased for reports.
CLOSED_INITIATIVES = (InitiativeStatus.COMPLETED, InitiativeStatus.TERMINATED)

NOTIFICATION_KINDS = {
    Reminder.Kind.DUE_14: kinds.REPORT_DUE_14,
    Reminder.Kind.DUE_3: kinds.REPORT_DUE_3,
    Reminder.Kind.OVERDUE: kinds.REPORT_OVERDUE,
}
FIRST_NOTICE_DAYS = 14
LAST_NOTICE_DAYS = 3
OVERDUE_EVERY_DAYS = 7


@dataclass
class ScanResult:
    day: str  # the date the scan ran for, or "" when each edition's own date was used
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    already_sent: int = 0

    def __str__(self) -> str:
        counts = ", ".join(f"{kind}: {self.sent.get(kind, 0)}" for kind in Reminder.Kind.values)
        return f"{self.day or 'today'}: {counts}; already sent: {self.already_sent}"


def reminder_for(*, due_on: datetime.date, today: datetime.date) -> tuple[str, int] | None:
    """Which reminder (kind, sequence) a report due on ``due_on`` calls for on ``today``.

    Windows rather than exact days, so that a scan that did not run on the 14th or the 3rd day
    (server down) still sends the reminder the next day; overdue reminders repeat weekly, the
    first on the day after the due date (sequence 0), the next a week later (1), and so on.
    """
    days_left = (due_on - today).days
    if days_left > FIRST_NOTICE_DAYS:
        return None
    if days_left > LAST_NOTICE_DAYS:
        return Reminder.Kind.DUE_14, 0
    if days_left >= 0:
        return Reminder.Kind.DUE_3, 0
    return Reminder.Kind.OVERDUE, (-days_left - 1) // OVERDUE_EVERY_DAYS


def report_path(report: Report) -> str:
    """The report's page in the portal, in the active language (the portal's home if the
    report pages are not mounted)."""
    try:
        return reverse("portal:report", kwargs={"pk": report.pk})
    except NoReverseMatch:
        return reverse("portal:home")


def reports_to_remind(latest_today: datetime.date):
    return (
        Report.objects.filter(
            status__in=OPEN_STATUSES,
            due_on__lte=latest_today + datetime.timedelta(days=FIRST_NOTICE_DAYS),
        )
        .exclude(initiative__status__in=CLOSED_INITIATIVES)
        .select_related("initiative__lead_organisation", "initiative__edition")
        .order_by("pk")
    )


def local_today(report: Report, now: datetime.datetime) -> datetime.date:
    """Today where the report's edition runs its call (its time zone; the site's if unset)."""
    return timezone.localdate(now, timezone=report.initiative.edition.call_time_zone)


def members_by_organisation(organisation_ids) -> dict[int, list]:
    members = defaultdict(list)
    memberships = (
        Membership.objects.filter(organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        members[membership.organisation_id].append(membership.user)
    return members


def reminders_send(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> ScanResult:
    """Remind each member of the lead organisation of every open report that is due within
    14 days, within 3 days, or overdue. "Today" is ``today`` when given (a run for a given
    day), otherwise the date at ``now`` in each report's edition time zone, so that "overdue"
    starts at midnight where the call is run rather than on the server's clock.

    Guarantees: one ``Reminder`` row and one notification per report, person, kind and
    sequence, whatever runs twice or at the same time; the notifications go out after commit
    in each person's language. Each reminder commits on its own, so a long scan holds no
    locks across reports and a scan stopped half-way keeps what it sent; a concurrent scan
    that reaches the same row waits on the unique index, then finds it taken and skips it.
    """
    now = now or timezone.now()
    result = ScanResult(day=today.isoformat() if today else "")
    # A day ahead of UTC covers every time zone (at most UTC+14).
    latest = today or (now + datetime.timedelta(days=1)).date()
    reports = list(reports_to_remind(latest))
    members = members_by_organisation({r.initiative.lead_organisation_id for r in reports})
    for report in reports:
        due = reminder_for(due_on=report.due_on, today=today or local_today(report, now))
        if due is None:
            continue
        kind, sequence = due
        for user in members[report.initiative.lead_organisation_id]:
            if _remind(report=report, user=user, kind=kind, sequence=sequence):
                result.sent[kind] += 1
            else:
                result.already_sent += 1
    return result


def _remind(*, report: Report, user, kind: str, sequence: int) -> bool:
    initiative = report.initiative
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                report=report,
                recipient=user,
                kind=kind,
                sequence=sequence,
                # When the reminder was issued; its delivery is on the notification row.
                sent_at=timezone.now(),
            )
            with translation.override(user.language or None):
                notify(
                    kind=NOTIFICATION_KINDS[kind],
                    sender=sender_of(initiative.edition),
                    key=f"reminder:{reminder.pk}",
                    recipient=user,
                    path=report_path(report),
                    context={
                        "initiative": initiative.title,
                        "organisation": initiative.lead_organisation.name,
                        "report_kind": report.kind,
                        "due_on": report.due_on.isoformat(),
                    },
                )
    except IntegrityError:
        return False  # Reminded already (by an earlier or a concurrent scan).
    return True


def reminder_scan(*, today: datetime.date | None = None) -> ScanResult:
    """The scheduled job: ``reminders_send`` and a note of its result on the schedule row."""
    result = reminders_send(today=today)
    schedule_record_result(job=JOB, result=str(result))
    return result
