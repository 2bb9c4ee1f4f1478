"""The back office side of reviews: submitted workplans and reports, their filters, and the links
to the secretariat's review pages (where reviewing is done, in one place)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from grants.services import workplan_submit
from reports.models import Report
from reports.services import report_submit, schedule_reports
from tests.portal.factories import fill_workplan, make_initiative, saved_report

pytestmark = pytest.mark.django_db

REPORTS = reverse("admin:reports_report_changelist")
INITIATIVES = reverse("admin:grants_initiative_changelist")


def submitted_report(initiative, member):
    return report_submit(
        report=saved_report(schedule_reports(initiative=initiative)[0], member), actor=member
    )


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


def test_reports_are_filtered_by_status_and_overdue(secretariat_client, initiative, member):
    submitted = submitted_report(initiative, member)
    late = Report.objects.exclude(pk=submitted.pk).get()
    Report.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 1))
    page = secretariat_client.get(REPORTS, {"status__exact": "submitted"}).content.decode()
    assert f"/en/secretariat/reports/{submitted.pk}/review/" in page
    assert f"/en/secretariat/reports/{late.pk}/review/" not in page
    page = secretariat_client.get(REPORTS, {"overdue": "yes"}).content.decode()
    assert f"/en/secretariat/reports/{late.pk}/review/" in page
    assert f"/en/secretariat/reports/{submitted.pk}/review/" not in page
    # The edition filter is there too (shown once there are two editions to choose from).
    make_initiative(initiative.lead_organisation)
    page = secretariat_client.get(REPORTS).content.decode()
    assert "initiative__edition__id__exact=" in page


def test_reports_are_reviewed_on_the_review_page_not_in_the_changelist(
    secretariat_client, initiative, member
):
    submitted = submitted_report(initiative, member)
    page = secretariat_client.get(REPORTS).content.decode()
    # One place to review a report: its review page, which the list links to.
    assert "accept_reports" not in page and "request_report_changes" not in page
    assert f"/en/secretariat/reports/{submitted.pk}/review/" in page


def test_workplans_are_reviewed_on_the_review_page_the_changelist_links_to(
    secretariat_client, organisation, member
):
    first, second = make_initiative(organisation), make_initiative(organisation)
    fill_workplan(first, member)
    workplan_submit(initiative=first, actor=member)
    page = secretariat_client.get(INITIATIVES, {"workplan_status__exact": "submitted"})
    html = page.content.decode()
    assert f"/en/secretariat/initiatives/{first.pk}/workplan/review/" in html
    assert f"/en/secretariat/initiatives/{second.pk}/workplan/review/" not in html
    assert "approve_workplans" not in html and "request_workplan_changes" not in html


def test_the_report_admin_page_links_to_the_review(secretariat_client, initiative, member):
    submitted = submitted_report(initiative, member)
    page = secretariat_client.get(reverse("admin:reports_report_change", args=[submitted.pk]))
    assert f"/en/secretariat/reports/{submitted.pk}/review/" in page.content.decode()


def test_a_change_in_the_back_office_is_a_version_too(secretariat_client, initiative, member):
    report = saved_report(schedule_reports(initiative=initiative)[0], member)
    url = reverse("admin:reports_report_change", args=[report.pk])
    page = secretariat_client.get(url).content.decode()
    data = {
        **dict(
            re.findall(
                r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', page
            )
        ),
        "initiative": initiative.pk,
        "kind": report.kind,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "due_on": report.due_on,
        "language": "en",
        "challenges": report.challenges,
        "lessons": report.lessons,
        "highlights": "Edited by the secretariat for the website.",
        "read_version": str(report.version),
    }
    # The inline rows as they are.
    for prefix, rows in (
        ("narratives", report.narratives.all()),
        ("activity_progress", report.activity_progress.all()),
        ("indicator_values", report.indicator_values.all()),
        ("spending", report.spending.all()),
    ):
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-report"] = report.pk
            for field in ("line_of_action", "activity", "indicator", "budget_line"):
                if hasattr(row, f"{field}_id"):
                    data[f"{prefix}-{index}-{field}"] = getattr(row, f"{field}_id")
            for field in ("text", "percent_complete", "note", "value", "amount"):
                if hasattr(row, field):
                    value = getattr(row, field)
                    data[f"{prefix}-{index}-{field}"] = "" if value is None else value
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    latest = report.versions.order_by("-number").first()
    assert latest.number == report.version == 2
    assert latest.content["highlights"] == "Edited by the secretariat for the website."
