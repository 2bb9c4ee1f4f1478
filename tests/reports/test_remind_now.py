""" "Send a reminder now": the secretariat reminds an organisation of a report due or overdue,
at once, once (a double submit is refused), never for a report handed in; in the back office
as a button on the report's page and as an action on the reports list, for the secretariat
only."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from grants.workflow import InitiativeStatus
from notifications.models import Notification
from reports.models import Reminder, Report
from reports.services import report_remind_now
from reports.workflow import ReportStatus
from tests.factories import OrganisationFactory
from tests.notifications.factories import ReportFactory, member_of
from tests.portal.factories import make_reviewer, make_secretary

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def secretary():
    return make_secretary()


@pytest.fixture
def report():
    return ReportFactory(due_on=TODAY - datetime.timedelta(days=5))


@pytest.fixture
def members(report):
    organisation = report.initiative.lead_organisation
    return [
        member_of(organisation, email="ana@example.org", language="en"),
        member_of(organisation, email="luc@example.org", language="fr"),
    ]


def remind(report, actor, capture):
    with capture(execute=True):
        return report_remind_now(report=report, actor=actor)


def test_each_member_is_reminded_now_and_the_log_says_who_sent_it(
    report, members, secretary, django_capture_on_commit_callbacks
):
    member_of(report.initiative.lead_organisation, email="gone@example.org", is_active=False)
    member_of(OrganisationFactory(), email="other@example.org")

    reminders = remind(report, secretary, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "luc@example.org"]
    english = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert english.subject == (
        f"Reminder from the secretariat: the interim report of {report.initiative.title} is overdue"
    )
    assert "was due on" in english.body and "/en/portal/" in english.body
    french = next(m for m in mail.outbox if m.to == ["luc@example.org"])
    assert "rapport intermédiaire" in french.subject  # in the reader's language
    assert {(r.kind, r.sequence, r.sent_by) for r in reminders} == {("manual", 0, secretary)}
    logged = Reminder.objects.filter(report=report)
    assert sorted(r.recipient.email for r in logged) == ["ana@example.org", "luc@example.org"]
    assert all(r.sent_at is not None and r.sent_by == secretary for r in logged)
    notification = Notification.objects.get(email="ana@example.org")
    assert notification.kind == "report_reminder"
    assert notification.context["overdue"] is True


def test_a_report_not_due_yet_is_reminded_with_its_due_date(
    report, members, secretary, django_capture_on_commit_callbacks
):
    report = ReportFactory(
        initiative=report.initiative,
        kind="final",
        due_on=TODAY + datetime.timedelta(days=20),
    )
    remind(report, secretary, django_capture_on_commit_callbacks)
    english = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "is due on" in english.subject and "overdue" not in english.subject
    assert "final report" in english.subject


def test_a_second_reminder_within_minutes_is_refused_then_allowed(
    report, members, secretary, django_capture_on_commit_callbacks
):
    remind(report, secretary, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with pytest.raises(DomainError, match="A reminder was sent by secretary@example.org"):
        remind(report, secretary, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Reminder.objects.count() == 2

    # Ten minutes later, another one goes (the next in sequence).
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=11))
    reminders = remind(report, secretary, django_capture_on_commit_callbacks)
    assert {r.sequence for r in reminders} == {1}
    assert len(mail.outbox) == 2


def test_the_daily_reminders_do_not_stop_a_manual_one(
    report, members, secretary, django_capture_on_commit_callbacks
):
    for person in members:
        Reminder.objects.create(
            report=report, recipient=person, kind="overdue", sent_at=timezone.now()
        )
    remind(report, secretary, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
def test_a_report_handed_in_is_not_reminded(
    status, report, members, secretary, django_capture_on_commit_callbacks
):
    Report.objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(DomainError, match="nothing to remind"):
        remind(report, secretary, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_a_report_sent_back_for_changes_can_be_reminded(
    report, members, secretary, django_capture_on_commit_callbacks
):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.CHANGES_REQUESTED)
    remind(report, secretary, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_reports_of_a_closed_grant_and_organisations_without_members_are_refused(
    report, secretary, django_capture_on_commit_callbacks
):
    with pytest.raises(DomainError, match="no active member"):
        remind(report, secretary, django_capture_on_commit_callbacks)
    member_of(report.initiative.lead_organisation, email="ana@example.org")
    type(report.initiative).objects.filter(pk=report.initiative_id).update(
        status=InitiativeStatus.TERMINATED
    )
    with pytest.raises(DomainError, match="no longer reminded"):
        remind(report, secretary, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_only_the_secretariat_sends_reminders(report, members, django_capture_on_commit_callbacks):
    for person in (members[0], make_reviewer()):
        with pytest.raises(DomainError, match="Only the secretariat"):
            remind(report, person, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_two_clicks_at_the_same_moment_send_once(
    report, members, secretary, transactional_db, django_capture_on_commit_callbacks
):
    start = threading.Barrier(2)
    sent, refused = [], []

    def click():
        try:
            start.wait()
            sent.append(report_remind_now(report=report, actor=secretary))
        except DomainError as error:
            refused.append(error.message)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(sent) == 1 and len(refused) == 1
    assert Reminder.objects.count() == 2  # one per member


# --- the back office ----------------------------------------------------------------------


def test_the_report_page_offers_the_button_and_the_page_sends(
    client,
    report,
    members,
    secretary,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client.force_login(secretary)
    change = reverse("admin:reports_report_change", args=[report.pk])
    remind_url = reverse("admin:reports_report_remind", args=[report.pk])
    assert remind_url in client.get(change).content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(remind_url)
    content = page.content.decode()
    assert "ana@example.org" in content and "luc@example.org" in content
    assert "No reminder has been sent for this report yet." in content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url, follow=True)
    assert response.redirect_chain[-1][0] == change
    assert "Reminder sent to ana@example.org, luc@example.org." in response.content.decode()
    assert len(mail.outbox) == 2

    # A double submit: refused with the reason, nothing more sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url, follow=True)
    assert "A reminder was sent by secretary@example.org" in response.content.decode()
    assert len(mail.outbox) == 2
    log = client.get(remind_url).content.decode()
    assert log.count("secretary@example.org") >= 2 and "Sent by the secretariat" in log


def test_no_button_for_a_report_handed_in(client, report, members, secretary):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(secretary)
    change = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    remind_url = reverse("admin:reports_report_remind", args=[report.pk])
    assert remind_url not in change.content.decode()
    assert "nothing to remind" in client.get(remind_url).content.decode()
    response = client.post(remind_url, follow=True)
    assert "nothing to remind" in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_list_action_reminds_each_report_and_says_which_were_refused(
    client, report, members, secretary, django_capture_on_commit_callbacks
):
    handed_in = ReportFactory(initiative=report.initiative, kind="final", status="submitted")
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_report_changelist"),
            {"action": "send_reminders", "_selected_action": [report.pk, handed_in.pk]},
            follow=True,
        )
    content = response.content.decode()
    assert "Reports reminded: 1." in content
    assert "nothing to remind the organisation of" in content
    assert len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("report", flat=True)) == {report.pk}


def test_only_the_secretariat_reaches_the_reminder(client, report, members):
    remind_url = reverse("admin:reports_report_remind", args=[report.pk])
    client.force_login(make_reviewer())
    assert client.get(remind_url).status_code == 403
    assert client.post(remind_url).status_code == 403
    response = client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "send_reminders", "_selected_action": [report.pk]},
    )
    assert response.status_code == 403
    client.force_login(members[0])  # a grantee: not staff, sent to the login page
    assert client.post(remind_url).status_code == 302
    assert not Reminder.objects.exists() and mail.outbox == []
