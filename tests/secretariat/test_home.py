"""What waits for the secretariat: one page, each item linked to where it is done."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Disbursement
from grants.services import (
    agreement_issue,
    agreement_sign,
    disbursements_release,
    workplan_submit,
)
from organisations.models import Membership, PublicProfileChange
from organisations.services import organisation_profile_update, payee_details_save
from reports.models import Report
from reports.services import report_submit
from tests.grants.lifecycle import PAYEE
from tests.portal.factories import (
    fill_workplan,
    first_report,
    make_initiative,
    make_member,
    saved_report,
)

pytestmark = pytest.mark.django_db

URL = "/en/secretariat/"


def test_only_the_secretariat_reaches_it(client, member):
    assert client.get(URL).status_code == 302  # to log in
    client.force_login(member)
    assert client.get(URL).status_code == 404
    reviewer = make_member(member.memberships.first().organisation, email="r@example.org")
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    assert client.get(URL).status_code == 404


def test_it_lists_what_waits_with_links_to_where_it_is_done(
    client, secretary, organisation, member, initiative
):
    report = report_submit(report=saved_report(first_report(initiative), member), actor=member)
    late = Report.objects.filter(initiative=initiative).exclude(pk=report.pk).get()
    Report.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 1))
    other = make_initiative(organisation)
    fill_workplan(other, member)
    workplan_submit(initiative=other, actor=member)
    tranche = Disbursement.objects.create(initiative=other, tranche=3, amount=Decimal("100"))
    disbursements_release(initiative=other, condition=tranche.condition)
    client.force_login(secretary)
    html = client.get(URL).content.decode()
    assert f"/en/secretariat/reports/{report.pk}/review/" in html
    assert f"/en/secretariat/initiatives/{other.pk}/workplan/review/" in html
    assert f"/en/admin/reports/report/{late.pk}/change/" in html
    assert f"/en/admin/grants/disbursement/{tranche.pk}/change/" in html
    assert "1 report to review" in html and "1 workplan to review" in html
    assert "1 report overdue" in html
    # The back office's home leads here.
    assert URL in client.get("/en/admin/").content.decode()


def test_it_costs_the_same_whatever_waits(client, secretary, organisation, member):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(secretary)
    once = queries()
    for _n in range(3):
        initiative = make_initiative(organisation)
        fill_workplan(initiative, member)
        workplan_submit(initiative=initiative, actor=member)
    assert queries() == once


def test_it_lists_agreements_bank_details_and_public_changes_waiting(
    client, secretary, organisation, member, initiative, settings, tmp_path
):
    """An agreement signed by the organisation, bank details changed since their last
    verification and a change to the public profile: each listed, linked to where it is done."""
    settings.MEDIA_ROOT = tmp_path / "media"
    signatory = make_member(organisation, email="signs@example.org", role=Membership.Role.SIGNATORY)
    agreement = agreement_issue(initiative=initiative, actor=secretary)
    agreement_sign(
        agreement=agreement,
        actor=signatory,
        full_name="Sam Signatory",
        ip_address=None,
        sha256=agreement.pdf_sha256,
    )
    payee = payee_details_save(
        organisation=organisation, actor=member, values=PAYEE, read_version=0
    )
    organisation_profile_update(
        organisation=organisation,
        actor=member,
        values={"city": "Sucre"},
        language=member.language,
        read_version=organisation.version,
    )
    change = PublicProfileChange.objects.get(organisation=organisation)
    client.force_login(secretary)
    html = client.get(URL).content.decode()
    assert "1 agreement to countersign" in html
    assert f"/en/admin/grants/agreement/{agreement.pk}/change/" in html
    assert "1 change of bank details to verify" in html
    assert f"/en/admin/organisations/payeedetails/{payee.pk}/verify/" in html
    assert "1 change to a public profile to approve" in html
    assert f"/en/admin/organisations/publicprofilechange/{change.pk}/change/" in html
