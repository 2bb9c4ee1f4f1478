"""The portal's home: organisations, initiatives, reports due (and overdue), workplan, payments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Disbursement
from grants.services import disbursements_release
from organisations.models import Membership
from reports.models import Report
from tests.portal.factories import (
    approved_initiative,
    first_report,
    make_initiative,
    make_organisation,
    saved_report,
)

pytestmark = pytest.mark.django_db


def test_home_shows_reports_workplan_and_payments(member_client, initiative, member):
    today = datetime.date.today()
    report = first_report(initiative)
    Report.objects.filter(initiative=initiative).update(due_on=today + datetime.timedelta(days=90))
    Report.objects.filter(pk=report.pk).update(due_on=today - datetime.timedelta(days=3))
    Disbursement.objects.create(
        initiative=initiative, tranche=1, amount=Decimal("2500"), condition="workplan"
    )
    Disbursement.objects.create(
        initiative=initiative,
        tranche=2,
        amount=Decimal("2500"),
        condition="interim",
        due_on=datetime.date(2030, 1, 15),
    )
    disbursements_release(initiative=initiative, condition="workplan")
    html = member_client.get("/en/portal/").content.decode().replace("\u00a0", " ")
    assert "Acción Andina" in html and initiative.title in html
    assert "Overdue:" in html  # highlighted at the top of the initiative
    assert "Next: Interim report" in html
    assert "Approved" in html  # the workplan
    assert "Tranche 1: 2,500 USD" in html and "Payable" in html
    assert "Tranche 2: 2,500 USD" in html and "Planned" in html
    assert "planned for Jan. 15, 2030" in html


def test_the_secretariat_is_led_to_what_waits_for_it(client, secretary, member):
    client.force_login(secretary)
    assert "/en/secretariat/" in client.get("/en/portal/").content.decode()
    client.force_login(member)
    assert "/en/secretariat/" not in client.get("/en/portal/").content.decode()


def test_home_costs_the_same_with_more_organisations_and_initiatives(
    member_client, organisation, member, secretary
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert member_client.get("/en/portal/").status_code == 200
        return len(captured)

    approved_initiative(organisation, member, secretary)
    once = queries()
    for n in range(3):
        initiative = approved_initiative(organisation, member, secretary)
        saved_report(first_report(initiative), member)
        Disbursement.objects.create(initiative=initiative, tranche=1, amount=Decimal("100"))
        other = make_organisation(name=f"Sister {n}")
        Membership.objects.create(user=member, organisation=other)
        make_initiative(other)
    assert queries() == once
