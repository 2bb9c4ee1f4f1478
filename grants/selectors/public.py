"""Reads of the public site: published initiatives with their editions, organisations and
themes, the editions with their counts, the countries, search."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django_countries import countries

from core.translation import active_language
from programme.models import Edition, Theme

from ..models import Initiative

# PostgreSQL text-search configurations for the site's languages.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ru": "russian",
}
SEARCHED_FIELDS = ("title", "summary", "description", "expected_results")


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


def countries_of(initiatives) -> list:
    """The distinct countries of some initiatives, sorted by name in the active language."""
    seen = {}
    for initiative in initiatives:
        for country in initiative.countries:
            seen[country.code] = country
    return sorted(seen.values(), key=lambda country: country.name)


def public_initiatives() -> QuerySet[Initiative]:
    """Published initiatives of published editions, ready for a list (no N+1 queries)."""
    return (
        Initiative.objects.published()
        .select_related("edition", "lead_organisation")
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


def countries_in_use() -> list[str]:
    """Codes of the countries of published initiatives (one query)."""
    codes: set[str] = set()
    for value in Initiative.objects.published().values_list("countries", flat=True):
        # values_list gives the stored text ("BO,BR"), not a list of countries.
        codes.update(code for code in (value or "").split(",") if code)
    return sorted(codes)


def is_known_country(code: str) -> bool:
    return code.upper() in countries


def themes_in_use() -> QuerySet[Theme]:
    return Theme.objects.filter(
        initiatives__is_published=True, initiatives__edition__is_published=True
    ).distinct()


def search_initiatives(query: str) -> QuerySet[Initiative]:
    """Full-text search in the visitor's language, with the other languages as a fallback.

    On PostgreSQL the active language's texts are stemmed with its own configuration and weigh
    more; every other language's texts are matched word for word ('simple'), so an initiative
    not yet translated is still found. SQLite (quick start) falls back to a substring match.
    """
    query = query.strip()
    base = public_initiatives()
    if not query:
        return base.none()
    language = active_language()
    if connection.vendor != "postgresql":
        condition = Q()
        for field in SEARCHED_FIELDS:
            for code in SEARCH_CONFIGS:
                condition |= Q(**{f"{field}_{code}__icontains": query})
        return base.filter(condition)

    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    own = SearchVector(f"title_{language}", weight="A", config=SEARCH_CONFIGS[language])
    for field in SEARCHED_FIELDS[1:]:
        own += SearchVector(f"{field}_{language}", weight="B", config=SEARCH_CONFIGS[language])
    others = [
        SearchVector(f"{field}_{code}", weight="D", config="simple")
        for code in SEARCH_CONFIGS
        if code != language
        for field in SEARCHED_FIELDS
    ]
    vector = own
    for item in others:
        vector += item
    stemmed = SearchQuery(query, config=SEARCH_CONFIGS[language], search_type="websearch")
    plain = SearchQuery(query, config="simple", search_type="websearch")
    wanted = stemmed | plain
    return (
        base.annotate(search=vector, rank=SearchRank(vector, wanted))
        .filter(search=wanted)
        .order_by("-rank", "pk")
    )
