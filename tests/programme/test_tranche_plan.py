"""Each edition's tranche plan: any number of tranches, each a percentage and a condition,
adding up to 100 %; 70/30 by default; the award makes one tranche per line, to the cent."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.errors import DecisionError
from grants.models import Disbursement
from grants.services import tranches
from programme.models import (
    DEFAULT_TRANCHE_PLAN,
    Edition,
    ReportingDeadline,
    TrancheCondition,
    TranchePlanLine,
    tranche_plan_problem,
)
from tests.admin.test_constraint_messages import change_form_data
from tests.grants.factories import open_edition, reach, secretariat_user
from tests.grants.lifecycle import award, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary():
    return secretariat_user()


def test_the_conditions_keep_their_stored_values():
    assert Disbursement.Condition is TrancheCondition
    assert TrancheCondition.values == ["signature", "workplan", "interim", "final"]


@pytest.mark.parametrize(
    ("percents", "problem"),
    [
        (["70", "30"], None),
        (["100"], None),
        (["33.33", "33.33", "33.34"], None),
        (["70", "20"], "add up to 90 percent"),
        (["70", "40"], "add up to 110 percent"),
        (["100", "0"], "more than zero"),
        (["120", "-20"], "more than zero"),
        ([], "at least one tranche"),
    ],
)
def test_a_plan_must_add_up_to_a_hundred(percents, problem):
    found = tranche_plan_problem(Decimal(p) for p in percents)
    assert (found is None) if problem is None else (problem in found)


def test_an_edition_without_a_plan_pays_seventy_then_thirty():
    edition = open_edition()
    assert edition.tranche_plan() == list(DEFAULT_TRANCHE_PLAN)
    assert [(p, c) for p, c in DEFAULT_TRANCHE_PLAN] == [
        (Decimal("70"), "signature"),
        (Decimal("30"), "final"),
    ]


def test_the_split_is_to_the_cent_and_the_last_takes_the_remainder():
    parts = tranches(Decimal("4333.33"), [Decimal("70"), Decimal("30")])
    assert parts == [Decimal("3033.33"), Decimal("1300.00")]
    parts = tranches(Decimal("1000.00"), [Decimal("33.33")] * 2 + [Decimal("33.34")])
    assert parts == [Decimal("333.30"), Decimal("333.30"), Decimal("333.40")]
    assert sum(parts) == Decimal("1000.00")


def test_the_award_makes_one_tranche_per_line_with_its_due_date(secretary):
    edition = open_edition()
    ReportingDeadline.objects.create(
        edition=edition,
        kind="interim",
        period_start=edition.period_start,
        period_end=edition.period_start + datetime.timedelta(days=90),
        due_on=edition.period_start + datetime.timedelta(days=100),
    )
    ReportingDeadline.objects.create(
        edition=edition,
        kind="final",
        period_start=edition.period_start,
        period_end=edition.period_end,
        due_on=edition.period_end + datetime.timedelta(days=30),
    )
    plan(edition, ("40", "signature"), ("20", "workplan"), ("25", "interim"), ("15", "final"))
    initiative = award(secretary, edition)
    rows = list(initiative.disbursements.order_by("tranche"))
    assert [(t.tranche, t.amount, t.condition, t.status) for t in rows] == [
        (1, Decimal("1800.00"), "signature", "planned"),
        (2, Decimal("900.00"), "workplan", "planned"),
        (3, Decimal("1125.00"), "interim", "planned"),
        (4, Decimal("675.00"), "final", "planned"),
    ]
    assert sum(t.amount for t in rows) == initiative.amount_awarded
    interim = initiative.reports.get(kind="interim")
    final = initiative.reports.get(kind="final")
    assert [t.due_on for t in rows] == [
        initiative.awarded_on,
        initiative.awarded_on,
        interim.due_on,
        final.due_on,
    ]


def test_an_award_with_a_plan_that_does_not_add_up_is_refused(secretary):
    edition = plan(open_edition(), ("70", "signature"), ("20", "final"))
    with pytest.raises(DecisionError, match="add up to 90 percent"):
        reach("approved", edition, secretary)
    assert not Disbursement.objects.exists()


# --- the back office ---------------------------------------------------------------------


def edition_post(client, edition, lines) -> dict:
    """The edition's change form as the page sends it, with ``lines`` as its tranche plan."""
    data = change_form_data(client, Edition, edition.pk)
    data["tranche_plan_lines-TOTAL_FORMS"] = [str(len(lines))]
    for n, (percent, condition) in enumerate(lines):
        data[f"tranche_plan_lines-{n}-order"] = [str(n + 1)]
        data[f"tranche_plan_lines-{n}-percent"] = [percent]
        data[f"tranche_plan_lines-{n}-condition"] = [condition]
    data["_save"] = ["Save"]
    return data


def test_the_edition_page_refuses_a_plan_that_does_not_add_up(client, secretary):
    edition = open_edition()
    client.force_login(secretary)
    url = reverse("admin:programme_edition_change", args=[edition.pk])
    refused = client.post(
        url, edition_post(client, edition, [("60", "signature"), ("30", "final")])
    )
    assert refused.status_code == 200
    assert "add up to 90 percent" in refused.content.decode()
    assert not TranchePlanLine.objects.exists()
    negative = client.post(url, edition_post(client, edition, [("-10", "signature")]))
    assert negative.status_code == 200 and not TranchePlanLine.objects.exists()
    saved = client.post(
        url, edition_post(client, edition, [("50", "signature"), ("50", "interim")])
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert edition.tranche_plan() == [(Decimal("50"), "signature"), (Decimal("50"), "interim")]
