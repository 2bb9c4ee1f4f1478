"""Reads of the public site: published initiatives with their editions, organisations and
themes, the editions with their counts, the countries. (Search, with its index, is the public
site's own: ``public.search``.)"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django_countries import countries
from django_countries.fields import Country

from core.countries import distinct_codes
from programme.models import Edition, Theme

from ..models import Initiative


def published_initiatives() -> QuerySet[Initiative]:
    """Published initiatives of published editions."""
    return Initiative.objects.published()


def editions_with_initiative_counts() -> QuerySet[Edition]:
    """Published editions, newest first, each with ``initiative_count`` (its published
    initiatives)."""
    return (
        Edition.objects.published()
        .select_related("programme")
        .annotate(initiative_count=Count("initiatives", filter=Q(initiatives__is_published=True)))
        .order_by("-year", "-number")
    )


def edition_initiatives(edition: Edition) -> QuerySet[Initiative]:
    """The published initiatives of ``edition`` in the order of its page, ready to show."""
    return (
        edition.initiatives.published()
        .select_related("lead_organisation")
        .prefetch_related("public_lines_of_action", "themes")
        .order_by("order", "pk")
    )


def countries_of(initiatives: QuerySet[Initiative]) -> list[Country]:
    """The distinct countries of some initiatives (a queryset: one query, in the database),
    sorted by name in the active language."""
    return sorted((Country(code) for code in countries_in_use(initiatives)), key=lambda c: c.name)


def public_initiatives() -> QuerySet[Initiative]:
    """Published initiatives of published editions, ready for a list (no N+1 queries)."""
    return (
        Initiative.objects.published()
        .select_related("edition__programme", "lead_organisation")
        .prefetch_related("themes")
        .order_by("-edition__year", "order", "pk")
    )


def filter_initiatives(
    queryset: QuerySet[Initiative],
    *,
    edition: str = "",
    country: str = "",
    theme: str = "",
) -> QuerySet[Initiative]:
    if edition:
        queryset = queryset.filter(edition__slug=edition)
    if country:
        queryset = queryset.filter(countries__contains=country.upper())
    if theme:
        queryset = queryset.filter(themes__slug=theme)
    return queryset


def countries_in_use(initiatives: QuerySet[Initiative] | None = None) -> list[str]:
    """Codes of the countries of published initiatives, or of ``initiatives`` (one query)."""
    return distinct_codes(Initiative.objects.published() if initiatives is None else initiatives)


def is_known_country(code: str) -> bool:
    return code.upper() in countries


def themes_in_use() -> QuerySet[Theme]:
    return Theme.objects.filter(
        initiatives__is_published=True, initiatives__edition__is_published=True
    ).distinct()
