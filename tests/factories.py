"""Factories for rows whose status is their initial one. Later statuses come from services."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from grants.models import Initiative, LineOfAction
from organisations.models import Membership, Organisation, User
from programme.models import Edition, EditionFunder, Funder, Programme, Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("a-long-test-password")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name_en = "Initiatives Programme"
    slug = "initiatives-programme"


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder
        django_get_or_create = ("name",)

    name = "Example Foundation"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name_en = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = factory.LazyAttribute(lambda o: 2020 + o.number)
    slug = factory.LazyAttribute(lambda o: str(o.year))
    title_en = factory.LazyAttribute(lambda o: f"Initiatives Programme {o.year}")
    introduction_en = "An edition of the programme."
    original_language = "en"
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class EditionFunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionFunder

    edition = factory.SubFactory(EditionFactory)
    funder = factory.SubFactory(FunderFactory)
    acknowledgement_en = "Made possible by the Example Foundation."


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    country = "BO"
    description_en = "A community organisation."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    edition = factory.SubFactory(EditionFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    title_en = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    countries = ["BO"]
    description_en = "What the project does."
    amount_awarded = Decimal("5000.00")
    currency = "USD"
    period_start = factory.LazyAttribute(lambda o: o.edition.period_start)
    period_end = factory.LazyAttribute(lambda o: o.edition.period_end)
    is_published = True


class LineOfActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineOfAction

    initiative = factory.SubFactory(InitiativeFactory)
    title_en = factory.Sequence(lambda n: f"Line of action {n}")
