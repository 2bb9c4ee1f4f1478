"""A secretariat morning in headless Chromium: the dashboard → its "Reports overdue" figure →
the filtered list of reports → the overdue report → "Send a reminder now" (the email is in the
outbox) → back to the filtered list, exported as XLSX (the file's rows are the list's) → the
initiative → its audit dossier (the ZIP's manifest matches every file's SHA-256).

Two grants have an overdue report (one awarded through the services, with an application, a
member and a workplan; one made by the factories), a third report is due in a month: the list
and the export hold the two overdue reports only. Screenshots in test-artifacts/morning-*.png.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import zipfile

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import User
from reports.models import Reminder, Report
from tests.e2e.axe import axe_violations
from tests.grants.factories import applicant
from tests.grants.lifecycle import award
from tests.html_checker import vnu_errors
from tests.notifications.factories import ReportFactory, member_of
from tests.portal.factories import PASSWORD, make_secretary
from tests.twofactor import authenticator, give_code_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning(live_server, settings, tmp_path):
    """The secretary (with her authenticator app), a grant whose interim report is six days
    late, another grant's report three days late and a report due in a month."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    sam = make_secretary(email="sam@example.org")
    authenticator(sam)
    initiative = award(sam)
    late = initiative.reports.order_by("due_on").first()
    Report.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=6))
    Report.objects.filter(initiative=initiative).exclude(pk=late.pk).update(
        due_on=today + datetime.timedelta(days=30)
    )
    other = ReportFactory(due_on=today - datetime.timedelta(days=3))
    member_of(other.initiative.lead_organisation, email="someone@example.org")
    mail.outbox.clear()
    return {"secretary": sam, "initiative": initiative, "report": late, "other": other}


def log_in(page, base: str, user: User) -> None:
    page.goto(f"{base}/en/admin/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form [type=submit]")
    give_code_in_browser(page, user)
    page.wait_for_url("**/en/admin/")


def list_titles(page) -> list[str]:
    """The initiatives of the rows of the back office's list, as shown."""
    return page.locator("#result_list tbody tr th a").all_inner_texts()


def test_a_secretariat_morning(page, live_server, artifacts, morning, tmp_path):
    base = live_server.url
    initiative, report = morning["initiative"], morning["report"]
    member = applicant(initiative.application)
    log_in(page, base, morning["secretary"])

    # --- the dashboard ---------------------------------------------------------------------------
    page.goto(base + reverse("secretariat:dashboard"))
    overdue = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^Reports overdue$")))
    expect(overdue.locator("a")).to_have_text("2")
    page.screenshot(path=str(artifacts / "morning-1-dashboard.png"), full_page=True)
    assert axe_violations(page) == []

    # --- the figure leads to the filtered list --------------------------------------------------
    overdue.locator("a").click()
    page.wait_for_url("**/admin/reports/report/?**")
    assert "overdue=yes" in page.url
    filtered = page.url
    titles = list_titles(page)
    assert sorted(titles) == sorted(r.initiative.title for r in (report, morning["other"]))
    page.screenshot(path=str(artifacts / "morning-2-overdue-list.png"), full_page=True)

    # --- the overdue report, the reminder --------------------------------------------------------
    page.locator("#result_list").get_by_role("link", name=initiative.title).click()
    page.wait_for_url(f"**/admin/reports/report/{report.pk}/change/**")
    page.get_by_role("link", name="Send a reminder now…").click()
    expect(page.locator("#remind-recipients")).to_contain_text(member.email)
    page.screenshot(path=str(artifacts / "morning-3-reminder.png"), full_page=True)
    assert axe_violations(page) == []
    html = tmp_path / "remind.html"
    html.write_text(page.content())
    assert vnu_errors([html]) == []
    page.get_by_role("button", name="Send the reminder").click()
    page.wait_for_url(f"**/admin/reports/report/{report.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text(f"Reminder sent to {member.email}.")
    page.screenshot(path=str(artifacts / "morning-4-reminder-sent.png"))
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == (
        f"Reminder from the secretariat: the interim report of {initiative.title} is overdue"
    )
    assert f"{base}/en/portal/" in mail.outbox[0].body
    assert Reminder.objects.get().sent_by == morning["secretary"]

    # --- back to the filtered list, exported -----------------------------------------------------
    page.goto(filtered)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["ID", "initiative", "organisation"]
    assert sorted(row[0] for row in rows) == sorted([report.pk, morning["other"].pk])
    assert sorted(row[1] for row in rows) == sorted(
        [initiative.title, morning["other"].initiative.title]
    )
    assert len(rows) == len(titles)

    # --- the initiative, its audit dossier -------------------------------------------------------
    page.goto(base + reverse("admin:grants_initiative_changelist"))
    page.fill("#searchbar", initiative.title)
    page.locator("#changelist-search [type=submit]").click()
    page.locator("#result_list").get_by_role("link", name=initiative.title).click()
    page.wait_for_url(f"**/admin/grants/initiative/{initiative.pk}/change/**")
    page.screenshot(path=str(artifacts / "morning-5-initiative.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Audit dossier (ZIP)").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert [i["id"] for i in manifest["initiatives"]] == [initiative.pk]
        listed = {entry["path"] for entry in manifest["files"]}
        assert listed == set(archive.namelist()) - {"manifest.json"}
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (
                entry["size"],
                entry["sha256"],
            ), entry["path"]
    assert any(path.endswith("application/application.pdf") for path in listed)
