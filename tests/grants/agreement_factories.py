"""Grants with an agreement to sign, reached through the real services: an application
approved (its initiative and tranches made by the award), the organisation's administrator
(who applied), a signatory and a plain member."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from grants import services
from grants.models import Initiative
from organisations.models import Membership, Organisation, User
from tests.factories import OrganisationFactory, UserFactory

from .factories import applicant, open_edition, under_review


@dataclass
class Grant:
    initiative: Initiative
    organisation: Organisation
    admin: User
    signatory: User
    member: User


def add_member(organisation: Organisation, role: str, **extra) -> User:
    user = UserFactory(**extra)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def awarded_grant(
    secretary: User,
    *,
    name: str = "Acción Andina",
    language: str = "en",
    amount: str = "4500",
    **data,
) -> Grant:
    """A grant just awarded (status "awarded", its tranches planned), with the people of its
    organisation."""
    edition = open_edition()
    organisation = OrganisationFactory(name=name)
    application = under_review(edition, secretary, organisation, language=language, **data)
    services.application_approve(
        application=application,
        actor=secretary,
        amount=Decimal(amount),
        period_start=edition.period_start,
        period_end=edition.period_end,
    )
    slug = organisation.slug
    return Grant(
        initiative=Initiative.objects.get(application=application),
        organisation=organisation,
        admin=applicant(application),
        signatory=add_member(
            organisation,
            Membership.Role.SIGNATORY,
            email=f"signatory-{slug}@example.org",
            full_name="Sofía Signataria",
        ),
        member=add_member(organisation, Membership.Role.MEMBER, email=f"member-{slug}@example.org"),
    )


def issued(grant: Grant, secretary: User):
    return services.agreement_issue(initiative=grant.initiative, actor=secretary)


def signed(grant: Grant, secretary: User):
    agreement = issued(grant, secretary)
    return services.agreement_sign(
        agreement=agreement,
        actor=grant.signatory,
        full_name="Sofía Signataria",
        ip_address="203.0.113.7",
        sha256=agreement.pdf_sha256,
    )
