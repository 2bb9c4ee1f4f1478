"""What the API answers, as pydantic schemas: they make the OpenAPI document, and every
response is checked against them."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

LANG = Field(
    None,
    description="Language of the texts (en, fr, es, pt, ru); without it, the Accept-Language "
    "header's. A text missing in that language falls back as on the site: the text's original "
    "language, then English.",
)


class Filters(Schema):
    lang: str | None = LANG
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")


class GrantFilters(Filters):
    programme: str | None = Field(None, description="A programme's slug.")
    edition: str | None = Field(None, description="An edition's slug, e.g. 2023.")
    country: str | None = Field(
        None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2 country code."
    )
    theme: str | None = Field(None, description="A theme's slug.")
    year: int | None = Field(None, description="The edition's year.")


class Page(Schema):
    count: int = Field(description="Items in all pages.")
    page: int
    page_size: int
    next: str | None = Field(description="Address of the next page, or null.")
    previous: str | None = Field(description="Address of the previous page, or null.")


class Funder(Schema):
    id: str = Field(description="The funder's org-id, or an identifier of this programme's.")
    name: str


class Edition(Schema):
    slug: str
    year: int
    number: int
    programme: str = Field(description="The programme's name.")
    programme_slug: str
    track: str = Field(description="full, or light (small grants, listed under /small-grants).")
    title: str
    introduction: str
    period_start: datetime.date
    period_end: datetime.date
    funders: list[Funder]
    initiative_count: int = Field(description="Its published initiatives.")
    url: str = Field(description="The edition's page on the site.")


class EditionPage(Page):
    results: list[Edition]


class Recipient(Schema):
    id: str = Field(
        description="The organisation's org-id where known, else an identifier of this "
        "programme's; an opaque one when the recipient is withheld."
    )
    name: str = Field(
        description="Its name, or a neutral label (“A community organisation in Brazil”) "
        "when the recipient is withheld for its safety."
    )
    country: str | None = Field(description="ISO 3166-1 alpha-2 code of where it is based.")
    city: str | None
    website: str | None
    url: str | None = Field(description="Its page on the site (null when withheld).")
    is_withheld: bool = Field(description="True when naming it would put people at risk.")


class Theme(Schema):
    slug: str
    name: str


class Initiative(Schema):
    id: str = Field(description="The grant's identifier, as in the 360Giving file.")
    slug: str | None = Field(description="Null when the recipient is withheld.")
    title: str
    summary: str | None
    programme: str = Field(description="The programme's slug.")
    edition: str = Field(description="The edition's slug.")
    year: int
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes.")
    themes: list[Theme]
    amount_awarded: str = Field(description="The amount, a decimal number as a string.")
    currency: str = Field(description="ISO 4217 code.")
    awarded_on: datetime.date | None
    period_start: datetime.date
    period_end: datetime.date
    recipient: Recipient
    url: str | None = Field(description="The initiative's page (null when withheld).")


class InitiativePage(Page):
    results: list[Initiative]


class SmallGrant(Schema):
    id: str = Field(description="The small grant's identifier, as in the 360Giving file.")
    programme: str = Field(description="The programme's slug.")
    edition: str = Field(description="The edition's slug.")
    year: int
    country: str = Field(description="ISO 3166-1 alpha-2 code of the action.")
    city: str | None = Field(description="Null when the group is withheld.")
    action_date: datetime.date
    amount_awarded: str = Field(description="The amount, a decimal number as a string.")
    currency: str = Field(description="ISO 4217 code.")
    awarded_on: datetime.date | None
    is_paid: bool
    recipient: Recipient = Field(description="The group that carries out the action.")
    url: str = Field(description="The edition's page, with the map of the actions.")


class SmallGrantPage(Page):
    results: list[SmallGrant]


class OrganisationPage(Page):
    results: list[Recipient]


class Country(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2 code.")
    name: str
    initiative_count: int


class CountryPage(Page):
    results: list[Country]


class Sector(Schema):
    vocabulary: str = Field(description="IATI sector vocabulary (1: DAC 5 digits, 2: 3 digits).")
    code: str


class ThemeDetail(Theme):
    initiative_count: int
    sectors: list[Sector]


class ThemePage(Page):
    results: list[ThemeDetail]


class Problem(Schema):
    detail: str
