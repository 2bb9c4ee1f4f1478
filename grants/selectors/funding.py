"""Money of the published grants, added up in the database: totals per currency, edition,
year, country and theme, and the grants themselves filtered by edition, year, country, theme
and amount. Every function runs one query whatever the number of grants (the public funding
explorer and the home and edition pages read them).

Amounts are never added across currencies: every total is per currency. A grant counts in
full in each of its countries and each of its themes, so the countries (or the themes) add up
to more than the total when a grant has several.

At-risk grants count like the others: only who receives them is withheld, by the pages that
name recipients (``grants.selectors.disclosure``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, Count, QuerySet, Sum, Value

from ..models import Initiative
from .public import published_initiatives

# How the grants list may be sorted: the public name of each order and its database order.
SORTS = {
    "-year": ("-edition__year", "-edition__number", "order", "pk"),
    "year": ("edition__year", "edition__number", "order", "pk"),
    "-amount": ("-amount_awarded", "pk"),
    "amount": ("amount_awarded", "pk"),
}
DEFAULT_SORT = "-year"


@dataclass(frozen=True)
class Total:
    """Money of some grants in one currency: ``key`` is what they share (an edition's id, a
    year, a country code, a theme's id, or "" for all)."""

    key: object
    currency: str
    amount: Decimal
    grants: int


def funded_grants(
    *,
    edition: str = "",
    year: int | None = None,
    country: str = "",
    theme: str = "",
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
) -> QuerySet[Initiative]:
    """Published grants of published editions matching every filter given (an empty one
    does not filter); amounts are compared in each grant's own currency."""
    queryset = published_initiatives()
    if edition:
        queryset = queryset.filter(edition__slug=edition)
    if year is not None:
        queryset = queryset.filter(edition__year=year)
    if country:
        queryset = queryset.filter(countries__contains=country.upper())
    if theme:
        # Through a subquery, so that a grant never shows twice and sums stay right.
        queryset = queryset.filter(
            pk__in=Initiative.themes.through.objects.filter(theme__slug=theme).values(
                "initiative_id"
            )
        )
    if amount_min is not None:
        queryset = queryset.filter(amount_awarded__gte=amount_min)
    if amount_max is not None:
        queryset = queryset.filter(amount_awarded__lte=amount_max)
    return queryset


def sorted_grants(grants: QuerySet[Initiative], sort: str = DEFAULT_SORT) -> QuerySet:
    """``grants`` ready for a table (edition, lead organisation and themes loaded), in the
    order named by ``sort`` (one of ``SORTS``)."""
    return (
        grants.select_related("edition__programme", "lead_organisation")
        .prefetch_related("themes")
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def _totals(rows, key: str) -> list[Total]:
    return [
        Total(key=row[key], currency=row["currency"], amount=row["amount"], grants=row["grants"])
        for row in rows
    ]


def totals(grants: QuerySet[Initiative]) -> list[Total]:
    """What ``grants`` add up to, one total per currency, the largest first."""
    rows = (
        grants.order_by()
        .values("currency")
        .annotate(
            amount=Sum("amount_awarded"),
            grants=Count("pk"),
            key=Value("", output_field=CharField()),
        )
        .order_by("-amount", "currency")
    )
    return _totals(rows, "key")


def totals_by_edition(grants: QuerySet[Initiative]) -> list[Total]:
    """Per edition (``key`` is its id) and currency, newest edition first."""
    rows = (
        grants.order_by()
        .values("edition_id", "edition__year", "edition__number", "currency")
        .annotate(amount=Sum("amount_awarded"), grants=Count("pk"))
        .order_by("-edition__year", "-edition__number", "currency")
    )
    return _totals(rows, "edition_id")


def totals_by_year(grants: QuerySet[Initiative]) -> list[Total]:
    """Per year of the edition and currency, newest first."""
    rows = (
        grants.order_by()
        .values("edition__year", "currency")
        .annotate(amount=Sum("amount_awarded"), grants=Count("pk"))
        .order_by("-edition__year", "currency")
    )
    return _totals(rows, "edition__year")


def totals_by_theme(grants: QuerySet[Initiative]) -> list[Total]:
    """Per theme (``key`` is its id) and currency, the largest first; a grant counts in full
    under each of its themes."""
    rows = (
        Initiative.themes.through.objects.filter(initiative__in=grants.order_by().values("pk"))
        .values("theme_id", "initiative__currency")
        .annotate(amount=Sum("initiative__amount_awarded"), grants=Count("initiative_id"))
        .order_by("-amount", "theme_id")
    )
    return [
        Total(
            key=row["theme_id"],
            currency=row["initiative__currency"],
            amount=row["amount"],
            grants=row["grants"],
        )
        for row in rows
    ]


def totals_by_country(grants: QuerySet[Initiative]) -> list[Total]:
    """Per country (``key`` is its ISO code) and currency, the largest first; a grant counts
    in full in each of its countries. The country list is split in the database."""
    if connection.vendor != "postgresql":
        return _totals_by_country_in_python(grants)
    ids_sql, params = grants.order_by().values("pk").query.sql_with_params()
    table = Initiative._meta.db_table
    codes = "unnest(string_to_array(grant_row.countries, ','))"
    # Only the table's name and the queryset's own SQL go into the text; values are parameters.
    sql = (
        f"SELECT code, grant_row.currency, SUM(grant_row.amount_awarded), COUNT(*) "  # noqa: S608
        f'FROM "{table}" grant_row CROSS JOIN LATERAL {codes} AS code '
        f"WHERE grant_row.id IN ({ids_sql}) AND code <> '' "
        f"GROUP BY code, grant_row.currency ORDER BY 3 DESC, code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Total(key=code, currency=currency, amount=amount, grants=count)
            for code, currency, amount, count in cursor.fetchall()
        ]


def money_awarded() -> list[Total]:
    """Everything awarded to published grants, per currency (the home page's figure)."""
    return totals(published_initiatives())


def _totals_by_country_in_python(grants: QuerySet[Initiative]) -> list[Total]:
    """``totals_by_country`` where the database cannot split a list (SQLite, the quick start's
    few dozen grants): the same figures, added up here."""
    sums: dict[tuple[str, str], list] = {}
    for countries, currency, amount in grants.order_by().values_list(
        "countries", "currency", "amount_awarded"
    ):
        for code in filter(None, (countries or "").split(",")):
            entry = sums.setdefault((code, currency), [0, 0])
            entry[0] += amount
            entry[1] += 1
    ordered = sorted(sums.items(), key=lambda item: (-item[1][0], item[0][0]))
    return [
        Total(key=code, currency=currency, amount=amount, grants=count)
        for (code, currency), (amount, count) in ordered
    ]
