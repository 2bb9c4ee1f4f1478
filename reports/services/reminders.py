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
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from grants.workflow import InitiativeStatus
from notifications.services import notify, schedule_record_result
from organisations.models import Membership
from organisations.selectors import is_secretariat
from programme.notifications import sender_of

from .. import notifications as kinds
from ..errors import ReportError
from ..models import EDITABLE_STATUSES, Reminder, Report
from ..workflow import ReportStatus
from .common import lock_report

# A second "Send a reminder now" within this time is refused (a double click, two colleagues).
MANUAL_REMINDER_GAP = datetime.timedelta(minutes=10)

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
        counts = ", ".join(f"{kind}: {self.sent.get(kind, 0)}" for kind in NOTIFICATION_KINDS)
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


# --- "Send a reminder now" ------------------------------------------------------------------


@transaction.atomic
def report_remind_now(*, report: Report, actor) -> list[Reminder]:
    """The secretariat reminds the members of the lead organisation of a report now (the
    back office's "Send a reminder now"), whatever the daily scan sent: one ``Reminder`` row
    of kind "manual" per person, with who sent it and when, and one notification each, sent
    after commit in the person's language. Returns the rows written.

    Refused (``ReportError``, nothing sent) for a report handed in (submitted or accepted), of
    a grant that is completed or terminated, of an organisation with no active member, or when
    a reminder was sent by hand less than ``MANUAL_REMINDER_GAP`` ago: the report's row is
    locked first, so a double submit waits for the first and is then refused.
    """
    if not is_secretariat(actor):
        raise ReportError(_("Only the secretariat can send reminders."))
    locked = lock_report(report)
    if locked.status not in EDITABLE_STATUSES:
        raise ReportError(
            _("This report is %(status)s: there is nothing to remind the organisation of.")
            % {"status": locked.get_status_display().lower()}
        )
    initiative = locked.initiative
    if initiative.status in CLOSED_INITIATIVES:
        raise ReportError(
            _("The grant is %(status)s: its reports are no longer reminded.")
            % {"status": initiative.get_status_display().lower()}
        )
    now = timezone.now()
    last = (
        Reminder.objects.filter(report=locked, kind=Reminder.Kind.MANUAL)
        .select_related("sent_by")
        .order_by("-sequence", "-pk")
        .first()
    )
    if last is not None and last.sent_at and now - last.sent_at < MANUAL_REMINDER_GAP:
        raise ReportError(
            _(
                "A reminder was sent by %(person)s at %(time)s. Another one can be sent "
                "%(minutes)s minutes after it."
            )
            % {
                "person": last.sent_by.email if last.sent_by else _("the secretariat"),
                "time": formats.time_format(timezone.localtime(last.sent_at), "TIME_FORMAT"),
                "minutes": int(MANUAL_REMINDER_GAP.total_seconds() // 60),
            }
        )
    organisation_id = initiative.lead_organisation_id
    members = members_by_organisation([organisation_id])[organisation_id]
    if not members:
        raise ReportError(_("The organisation has no active member to remind."))
    sequence = 0 if last is None else last.sequence + 1
    overdue = locked.due_on < local_today(locked, now)
    reminders = []
    for user in members:
        reminder = Reminder.objects.create(
            report=locked,
            recipient=user,
            kind=Reminder.Kind.MANUAL,
            sequence=sequence,
            sent_at=now,
            sent_by=actor,
        )
        with translation.override(user.language or None):
            notify(
                kind=kinds.REPORT_REMINDER,
                sender=sender_of(initiative.edition),
                key=f"reminder:{reminder.pk}",
                recipient=user,
                path=report_path(locked),
                context={
                    "initiative": initiative.title,
                    "organisation": initiative.lead_organisation.name,
                    "report_kind": locked.kind,
                    "due_on": locked.due_on.isoformat(),
                    "overdue": overdue,
                },
            )
        reminders.append(reminder)
    return reminders
