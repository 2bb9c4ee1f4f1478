"""In Chromium: a member reads their notifications in the portal; the secretariat moves the
daily reminder scan to another time and time zone in the back office."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core.staff import SECRETARIAT, sync_staff_groups
from notifications.models import ScheduledJob
from notifications.services import notification_send, notify
from tests.e2e.conftest import artifacts, browser, page  # noqa: F401 - the browser fixtures
from tests.factories import UserFactory
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-browser-test-password"


def log_in(page, live_server, email):  # noqa: F811 - page is the fixture's object
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/portal/")


def test_a_member_reads_the_notifications_they_received(page, live_server, artifacts):  # noqa: F811
    ana = UserFactory(email="ana@example.org", password=PASSWORD, full_name="Ana Quispe")
    other = UserFactory(email="other@example.org")
    for user, initiative in ((ana, "Peer support in El Alto"), (other, "Not for Ana")):
        notification = notify(
            kind="report_changes_requested",
            key=f"report:1:changes:{user.pk}",
            recipient=user,
            path="/en/portal/",
            context={
                "initiative": initiative,
                "organisation": "Acción Andina",
                "report_kind": "interim",
                "comment": "Please add the attendance lists.",
            },
        )
        notification_send(notification_id=notification.pk)
    notify(
        kind="report_due_3",
        key="reminder:1",
        recipient=ana,
        path="/en/portal/",
        context={
            "initiative": "Peer support in El Alto",
            "organisation": "Acción Andina",
            "report_kind": "final",
            "due_on": "2026-07-01",
        },
    )

    log_in(page, live_server, "ana@example.org")
    page.get_by_role("link", name="My notifications").click()
    page.wait_for_url("**/en/accounts/notifications/")

    expect(page.get_by_role("heading", name="My notifications")).to_be_visible()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Changes requested to the interim report of Peer support in El Alto" in (
        rows.nth(1).inner_text()
    )
    assert "Not for Ana" not in page.content()
    page.screenshot(path=str(artifacts / "portal-notifications.png"), full_page=True)
    rows.nth(1).get_by_role("link").click()
    page.wait_for_url("**/en/portal/")


def test_the_secretariat_moves_the_reminder_scan(page, live_server, artifacts):  # noqa: F811
    sync_staff_groups()
    secretary = UserFactory(email="secretary@example.org", password=PASSWORD, is_staff=True)
    secretary.groups.add(Group.objects.get(name=SECRETARIAT))
    authenticator(secretary)  # staff give a code from their app after the password
    job, _created = ScheduledJob.objects.get_or_create(job="report_reminders")

    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("input[name=username]", "secretary@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code_in_browser(page, secretary)
    page.wait_for_url("**/en/admin/")
    page.goto(f"{live_server.url}/en/admin/notifications/scheduledjob/")
    page.screenshot(path=str(artifacts / "admin-scheduled-jobs.png"), full_page=True)
    page.get_by_role("link", name=re.compile(r"^Report reminders")).click()

    page.fill("input[name=time_zone]", "Mars/Olympus")
    page.click("input[name=_save]")
    expect(page.get_by_text("is not a time zone name")).to_be_visible()
    page.screenshot(path=str(artifacts / "admin-scheduled-job-error.png"), full_page=True)
    page.fill("input[name=run_at]", "06:30")
    page.fill("input[name=time_zone]", "America/La_Paz")
    page.screenshot(path=str(artifacts / "admin-scheduled-job-change.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_url("**/en/admin/notifications/scheduledjob/")

    job.refresh_from_db()
    assert job.run_at == datetime.time(6, 30)
    assert job.time_zone == "America/La_Paz"
