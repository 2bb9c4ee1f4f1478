"""A small published programme for the open-data and API tests, reached through the real
services where a status is involved (a tranche paid, a report accepted): an open grant with
translations, two countries, a theme with its IATI sector, a paid tranche and a reported
indicator; a grant to an organisation at risk; an initiative at risk of an organisation that
is not; an unpublished initiative and an unpublished edition."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group

from grants.models import Disbursement, Indicator, Initiative
from grants.services import disbursements_release
from organisations.models import Membership
from programme.models import ThemeSector
from reports.models import Report
from reports.services import report_accept, report_save, report_submit
from reports.services.common import ReportContent
from tests.factories import (
    EditionFactory,
    EditionFunderFactory,
    FunderFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.grants.lifecycle import pay, second_secretary, verified_details

# What must appear nowhere public for the organisation at risk, and for the initiative at risk.
SECRET_NAME = "Kazan Harm Reduction Collective"
SECRET_WORDS = [SECRET_NAME, "Kazan", "kazan-collective.example.org", "kazan-collective"]
SECRET_INITIATIVE_WORDS = ["Night outreach in Tashkent", "tashkent-night-outreach"]


@dataclass
class Programme:
    edition: object
    shown: Initiative
    hidden: Initiative
    hidden_initiative: Initiative
    unpublished: Initiative
    theme: object
    indicator: Indicator


def secretary_user():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


def build_programme() -> Programme:
    secretary = secretary_user()
    funder = FunderFactory(name="Example Foundation", identifier="GB-CHC-1234567")
    edition = EditionFactory(number=3, year=2023, slug="2023")
    EditionFunderFactory(edition=edition, funder=funder)
    theme = ThemeFactory(
        name_en="Harm reduction", name_fr="Réduction des risques", slug="harm-reduction"
    )
    ThemeSector.objects.create(theme=theme, vocabulary="1", code="12263")

    andina = OrganisationFactory(
        name="Acción Andina",
        slug="accion-andina",
        country="BO",
        city="La Paz",
        website="https://andina.example.org",
        identifier="BO-NIT-123456",
    )
    shown = InitiativeFactory(
        edition=edition,
        lead_organisation=andina,
        slug="women-organising",
        countries=["BO", "PE"],
        original_language="es",
        title_es="Organización de mujeres",
        title_en="Women organising",
        title_fr="Organisation des femmes",
        summary_en="Women who use drugs organise.",
        summary_es="Mujeres que usan drogas se organizan.",
        amount_awarded=Decimal("5000.00"),
        awarded_on=datetime.date(2023, 5, 15),
        order=1,
    )
    shown.themes.add(theme)

    secret = OrganisationFactory(
        name=SECRET_NAME,
        slug="kazan-collective",
        country="RU",
        city="Kazan",
        website="https://kazan-collective.example.org",
        is_at_risk=True,
    )
    hidden = InitiativeFactory(
        edition=edition,
        lead_organisation=secret,
        slug="kazan-outreach",
        countries=["RU"],
        title_en=f"Outreach by the {SECRET_NAME}",
        summary_en=f"The {SECRET_NAME} meets people in Kazan.",
        amount_awarded=Decimal("7000.00"),
        awarded_on=datetime.date(2023, 5, 15),
        order=2,
    )
    hidden.themes.add(theme)

    # An initiative at risk, led by an organisation that is not: the grant is withheld.
    tashkent = OrganisationFactory(
        name="Central Asian Network", slug="central-asian-network", country="UZ"
    )
    hidden_initiative = InitiativeFactory(
        edition=edition,
        lead_organisation=tashkent,
        slug="tashkent-night-outreach",
        countries=["UZ"],
        title_en="Night outreach in Tashkent",
        amount_awarded=Decimal("3000.00"),
        is_at_risk=True,
        order=3,
    )

    unpublished = InitiativeFactory(
        edition=edition, title_en="Not yet published", is_published=False, order=4
    )
    EditionFactory(number=4, year=2024, slug="2024", is_published=False)

    tranche = Disbursement.objects.create(
        initiative=shown,
        tranche=1,
        amount=Decimal("2500.00"),
        currency="USD",
        condition=Disbursement.Condition.ON_SIGNATURE,
    )
    disbursements_release(initiative=shown, condition=tranche.condition)
    treasurer = MembershipFactory(organisation=andina, role=Membership.Role.ADMIN).user
    verified_details(andina, entered_by=treasurer, verifier=second_secretary())
    pay(tranche, secretary, paid_on=datetime.date(2023, 6, 1))

    indicator = Indicator.objects.create(
        initiative=shown, name="Women reached", unit="people", baseline=0, target=100
    )
    member = MembershipFactory(organisation=andina).user
    report = Report.objects.create(
        initiative=shown,
        kind="interim",
        period_start=datetime.date(2023, 6, 1),
        period_end=datetime.date(2023, 9, 30),
        due_on=datetime.date(2023, 10, 31),
    )
    report = report_save(
        report=report,
        actor=member,
        content=ReportContent(
            indicators={indicator.pk: {"value": "42", "note": ""}},
            challenges="Rain.",
            lessons="Meet earlier.",
        ),
        read_version=report.version,
    )
    report = report_submit(report=report, actor=member)
    report_accept(report=report, actor=secretary)
    return Programme(
        edition=edition,
        shown=shown,
        hidden=hidden,
        hidden_initiative=hidden_initiative,
        unpublished=unpublished,
        theme=theme,
        indicator=indicator,
    )
