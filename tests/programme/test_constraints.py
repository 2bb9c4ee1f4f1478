"""The database refuses rows that break the one-row rules, whatever code writes them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grants.models import BudgetLine, Disbursement
from organisations.models import Invitation, Membership
from programme.models import ReportKind
from reports.models import Report
from tests.factories import (
    EditionFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def rejected(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_edition_period_must_be_in_order():
    assert rejected(
        lambda: EditionFactory(
            period_start=datetime.date(2023, 12, 31), period_end=datetime.date(2023, 6, 1)
        )
    )
    assert not rejected(lambda: EditionFactory())


def test_edition_application_window_must_be_in_order():
    now = timezone.now()
    assert rejected(lambda: EditionFactory(application_opens_at=now, application_closes_at=now))


def test_edition_grant_range_must_be_positive_and_in_order():
    assert rejected(lambda: EditionFactory(grant_minimum=Decimal("0")))
    assert rejected(
        lambda: EditionFactory(grant_minimum=Decimal("5000"), grant_maximum=Decimal("4000"))
    )
    assert not rejected(
        lambda: EditionFactory(grant_minimum=Decimal("4000"), grant_maximum=Decimal("5000"))
    )


def test_initiative_amount_positive_and_period_in_order():
    assert rejected(lambda: InitiativeFactory(amount_awarded=Decimal("0")))
    assert rejected(lambda: InitiativeFactory(amount_awarded=Decimal("-10")))
    assert rejected(
        lambda: InitiativeFactory(
            period_start=datetime.date(2023, 12, 1), period_end=datetime.date(2023, 1, 1)
        )
    )


def test_initiative_slug_unique_within_edition():
    first = InitiativeFactory(slug="same")
    assert rejected(lambda: InitiativeFactory(slug="same", edition=first.edition))
    assert not rejected(lambda: InitiativeFactory(slug="same"))


def test_one_membership_per_user_and_organisation():
    membership = MembershipFactory()
    assert rejected(
        lambda: Membership.objects.create(
            user=membership.user, organisation=membership.organisation
        )
    )


def test_user_email_unique_whatever_the_case():
    UserFactory(email="someone@example.org")
    assert rejected(lambda: UserFactory(email="SOMEONE@example.org"))


def test_invitation_must_expire_after_creation():
    organisation = OrganisationFactory()
    now = timezone.now()
    assert rejected(
        lambda: Invitation.objects.create(
            organisation=organisation, email="a@example.org", created_at=now, expires_at=now
        )
    )


def test_one_report_per_initiative_kind_and_period():
    initiative = InitiativeFactory()
    fields = {
        "initiative": initiative,
        "kind": ReportKind.INTERIM,
        "period_start": datetime.date(2023, 6, 1),
        "period_end": datetime.date(2023, 9, 30),
        "due_on": datetime.date(2023, 10, 15),
    }
    Report.objects.create(**fields)
    assert rejected(lambda: Report.objects.create(**fields))
    assert not rejected(lambda: Report.objects.create(**{**fields, "kind": ReportKind.FINAL}))


def test_money_rows_must_be_positive():
    initiative = InitiativeFactory()
    assert rejected(
        lambda: BudgetLine.objects.create(initiative=initiative, category="Travel", amount=0)
    )
    assert rejected(
        lambda: Disbursement.objects.create(initiative=initiative, tranche=1, amount=-1)
    )


def test_paid_disbursement_needs_a_payment_date():
    initiative = InitiativeFactory()
    assert rejected(
        lambda: Disbursement.objects.create(
            initiative=initiative, tranche=1, amount=2500, status="paid"
        )
    )
    assert not rejected(
        lambda: Disbursement.objects.create(
            initiative=initiative,
            tranche=1,
            amount=2500,
            status="paid",
            paid_on=datetime.date(2023, 7, 1),
        )
    )
