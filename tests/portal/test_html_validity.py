"""Every page of the portal is valid HTML for the Nu HTML Checker (vnu.jar from npm)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grants.models import Disbursement
from grants.services import agreement_issue, disbursements_release, workplan_request_changes
from organisations.models import Membership
from reports.services import report_request_changes, report_submit
from tests.grants.lifecycle import pay, verified_details
from tests.html_checker import vnu_errors
from tests.portal.access import build_world
from tests.portal.factories import fill_workplan, make_initiative, make_member, saved_report
from tests.twofactor import Client

pytestmark = pytest.mark.django_db


def portal_pages(world) -> dict[str, tuple]:
    a = world.a
    draft = make_initiative(a.organisation)
    fill_workplan(draft, a.admin)
    workplan_request_changes(initiative=a.initiative, actor=world.secretary, comment="Revise.")
    sent_back = report_submit(report=saved_report(a.report, a.admin), actor=a.admin)
    report_request_changes(
        report=sent_back, actor=world.secretary, comments={"lessons": "More."}, comment="Thanks."
    )
    report, org, initiative = a.report.pk, a.organisation.pk, a.initiative.pk
    member, secretary = a.admin, world.secretary
    # A tranche paid to verified bank details: the page where the grantee confirms it.
    verified_details(a.organisation, entered_by=member, verifier=secretary)
    Disbursement.objects.create(initiative=a.initiative, tranche=1, amount=Decimal("1000"))
    disbursements_release(initiative=a.initiative, condition="signature")
    paid = pay(a.initiative.disbursements.get(tranche=1), secretary)
    signatory = make_member(
        a.organisation, role=Membership.Role.SIGNATORY, email="signatory-pages@example.org"
    )
    agreement_issue(initiative=a.initiative, actor=secretary)
    return {
        "home": (member, "/en/portal/"),
        "home-secretariat": (secretary, "/ru/portal/"),
        "organisation": (member, f"/en/portal/organisations/{org}/"),
        "members": (member, f"/en/portal/organisations/{org}/members/"),
        "workplan": (member, f"/en/portal/initiatives/{draft.pk}/workplan/"),
        "workplan-sent-back": (member, f"/en/portal/initiatives/{initiative}/workplan/"),
        "workplan-lines": (member, f"/en/portal/initiatives/{draft.pk}/workplan/edit/lines/"),
        "workplan-activities": (
            member,
            f"/en/portal/initiatives/{draft.pk}/workplan/edit/activities/",
        ),
        "workplan-budget": (member, f"/en/portal/initiatives/{draft.pk}/workplan/edit/budget/"),
        "workplan-indicators": (
            member,
            f"/fr/portal/initiatives/{draft.pk}/workplan/edit/indicators/",
        ),
        "workplan-review": (
            secretary,
            f"/en/secretariat/initiatives/{initiative}/workplan/review/",
        ),
        "agreement": (signatory, f"/fr/portal/initiatives/{initiative}/agreement/"),
        "agreement-read-only": (member, f"/en/portal/initiatives/{initiative}/agreement/"),
        "report": (member, f"/en/portal/reports/{report}/"),
        "report-edit": (member, f"/en/portal/reports/{report}/edit/?check=1"),
        "report-files": (member, f"/en/portal/reports/{report}/files/"),
        "report-versions": (member, f"/en/portal/reports/{report}/versions/?from=1&to=3"),
        "report-review": (secretary, f"/en/secretariat/reports/{report}/review/"),
        "profile": (member, "/en/accounts/profile/"),
        "bank-details": (member, f"/en/portal/organisations/{org}/bank-details/"),
        "payment-received": (member, f"/es/portal/payments/{paid.pk}/received/"),
    }


def test_every_portal_page_is_valid_html(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    files = []
    for name, (user, url) in portal_pages(build_world()).items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert vnu_errors(files) == []
