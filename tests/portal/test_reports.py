"""Writing a report in the portal: drafts, submission, review, versions; and the cost of the
pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.services import workplan_request_changes
from reports.models import Report, ReportVersion
from reports.services import report_submit
from tests.portal.factories import fill_workplan, make_secretary, saved_report
from tests.twofactor import Client

pytestmark = pytest.mark.django_db


def form_data(report: Report, **changes) -> dict:
    """What the report form posts when filled completely."""
    initiative = report.initiative
    data = {
        "version": str(report.version),
        "challenges": "The rains came early.",
        "lessons": "Plan the workshops for the dry season.",
        "highlights": "Forty people trained in El Alto.",
    }
    for line in initiative.lines_of_action.all():
        data[f"narrative_{line.pk}"] = f"Under {line.title}, we held three meetings."
    for activity in initiative.activities.all():
        data[f"activity_{activity.pk}_status"] = "done"
        data[f"activity_{activity.pk}_percent"] = "100"
        data[f"activity_{activity.pk}_note"] = ""
    for indicator in initiative.indicators.all():
        data[f"indicator_{indicator.pk}_value"] = "38"
        data[f"indicator_{indicator.pk}_note"] = ""
    for line in initiative.budget_lines.all():
        data[f"spending_{line.pk}_amount"] = "1200.50"
        data[f"spending_{line.pk}_note"] = ""
    data.update(changes)
    return data


def edit_url(report) -> str:
    return f"/en/portal/reports/{report.pk}/edit/"


def test_the_first_save_makes_a_draft_and_a_version(member_client, report):
    assert report.status == "scheduled"
    page = member_client.get(edit_url(report))
    assert page.status_code == 200
    html = page.content.decode()
    for section in ("Narrative per line of action", "Progress of activities", "Spending"):
        assert section in html
    assert "Target: 40 people" in html
    response = member_client.post(edit_url(report), {**form_data(report), "save": "1"})
    assert response.status_code == 302 and response["Location"] == edit_url(report)
    report.refresh_from_db()
    assert report.status == "draft" and report.version == 1
    assert report.narratives.count() == 2
    assert report.spending.first().amount == pytest.approx(1200.50)
    assert ReportVersion.objects.filter(report=report, number=1, status="draft").exists()
    page = member_client.get(edit_url(report)).content.decode()
    assert "Your draft was saved." in page
    # Totals and the difference from the budget: 3,000 + 1,500 budgeted, 2 × 1,200.50 spent.
    assert "2,401 USD" in page.replace("\u00a0", " ") or "2,401.00" in page
    assert "2,099 USD" in page.replace("\u00a0", " ") or "2,099.00" in page


def test_an_incomplete_submission_keeps_the_draft_and_says_what_is_missing(member_client, report):
    response = member_client.post(
        edit_url(report), {**form_data(report, challenges="", lessons=""), "submit": "1"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?check=1")
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.highlights == "Forty people trained in El Alto."
    html = member_client.get(response["Location"]).content.decode()
    assert "Your draft is saved, but the report cannot be submitted yet" in html
    assert "Describe the challenges you met." in html
    assert "Share the lessons you learned." in html


def test_submit_then_the_report_is_out_of_the_grantees_hands(member_client, report, member):
    response = member_client.post(edit_url(report), {**form_data(report), "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at is not None
    html = member_client.get(response["Location"]).content.decode()
    assert "Your report was sent to the secretariat" in html
    # The edit page sends back to the report. A post from a form left open changes nothing,
    # and the text sent is shown back with the reason, not dropped.
    assert member_client.get(edit_url(report)).status_code == 302
    late = member_client.post(
        edit_url(report), {**form_data(report, challenges="Typed in another tab."), "save": "1"}
    )
    assert late.status_code == 409
    html = late.content.decode()
    assert "This report is submitted: it can no longer be changed." in html
    assert "Typed in another tab." in html and "Save the draft" not in html
    report.refresh_from_db()
    assert report.challenges == "The rains came early."


def test_review_with_comments_per_section_then_resubmit_then_accept(
    client, report, member, secretary
):
    report = report_submit(report=saved_report(report, member), actor=member)
    client.force_login(secretary)
    review = f"/en/secretariat/reports/{report.pk}/review/"
    page = client.get(review).content.decode()
    assert 'name="section_spending"' in page and "Accept the report" in page
    refused = client.post(review, {"comment": "", "request_changes": "1"})
    assert "write at least one comment" in refused.content.decode()
    client.post(
        review,
        {
            "comment": "Nearly there.",
            "section_spending": "Which receipts cover the venue?",
            "request_changes": "1",
        },
    )
    report.refresh_from_db()
    assert report.status == "changes_requested"
    client.force_login(member)
    html = client.get(edit_url(report)).content.decode()
    assert "The secretariat asks for changes" in html and "Nearly there." in html
    assert "Which receipts cover the venue?" in html
    client.post(edit_url(report), {**form_data(report), "submit": "1"})
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(secretary)
    client.post(review, {"comment": "Thank you.", "accept": "1"})
    report.refresh_from_db()
    assert report.status == "accepted"
    client.force_login(member)
    html = client.get(f"/en/portal/reports/{report.pk}/").content.decode()
    assert "The secretariat accepted this report" in html
    assert edit_url(report) not in html
    assert client.get(edit_url(report)).status_code == 302
    files = client.get(f"/en/portal/reports/{report.pk}/files/").content.decode()
    assert 'type="file"' not in files


def test_versions_are_compared_section_by_section(member_client, report, member):
    report = saved_report(report, member, challenges="The rains came early.")
    report = saved_report(report, member, challenges="The rains came very early.")
    page = member_client.get(f"/en/portal/reports/{report.pk}/versions/?from=1&to=2")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Changes from version 1 to version 2" in html
    assert re.search(r"<ins[^>]*>.*very.*</ins>", html)
    assert "unchanged" in html  # the other sections
    assert (
        member_client.get(f"/en/portal/reports/{report.pk}/versions/?from=1&to=9").status_code
        == 404
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_report_pages_cost_the_same_with_more_rows(
    member_client, report, member, initiative, secretary
):
    report = saved_report(report, member)
    report = saved_report(report, member)
    urls = [
        f"/en/portal/reports/{report.pk}/",
        edit_url(report),
        f"/en/portal/reports/{report.pk}/versions/?from=1&to=2",
        f"/en/portal/reports/{report.pk}/files/",
    ]
    review = Client()
    review.force_login(secretary)
    review_url = f"/en/secretariat/reports/{report.pk}/review/"
    once = [count_queries(member_client, url) for url in urls]
    once_review = count_queries(review, review_url)
    # Twice the workplan, and a few more saves.
    workplan_request_changes(
        initiative=initiative,
        actor=make_secretary(email="second-secretary@example.org"),
        comment="More rows.",
    )
    fill_workplan(initiative, member)
    report = Report.objects.get(pk=report.pk)
    for _ in range(3):
        report = saved_report(report, member)
    assert [count_queries(member_client, url) for url in urls] == once
    assert count_queries(review, review_url) == once_review
