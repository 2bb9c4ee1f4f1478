"""Factories of the notification tests (the shared ones are in tests/factories.py)."""

import datetime

import factory

from reports.models import Report
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory


class ReportFactory(factory.django.DjangoModelFactory):
    """A report in its initial status, scheduled."""

    class Meta:
        model = Report

    initiative = factory.SubFactory(InitiativeFactory)
    kind = "interim"
    period_start = factory.LazyAttribute(lambda o: o.due_on - datetime.timedelta(days=120))
    period_end = factory.LazyAttribute(lambda o: o.due_on - datetime.timedelta(days=30))
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))


def member_of(organisation, **user_fields):
    """A person of ``organisation`` (language and the rest as given)."""
    return MembershipFactory(organisation=organisation, user=UserFactory(**user_fields)).user
