"""The public site's programme pages: home, editions index and edition page.

Only published editions show; initiatives are reached through related names (programme does
not import grants: imports run grants -> programme). Every page runs a fixed number of queries.
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .cache import cache_public_page
from .models import Edition, EditionFunder, Theme

PUBLISHED_INITIATIVES = Q(initiatives__is_published=True)


def countries_of(initiatives) -> list:
    """The distinct countries of some initiatives, sorted by name in the active language."""
    seen = {}
    for initiative in initiatives:
        for country in initiative.countries:
            seen[country.code] = country
    return sorted(seen.values(), key=lambda country: country.name)


def published_initiatives():
    """Published initiatives of published editions, reached through the edition's relation."""
    initiative_model = Edition._meta.get_field("initiatives").related_model
    return initiative_model.objects.published()


def published_editions():
    return (
        Edition.objects.published()
        .select_related("programme")
        .annotate(initiative_count=Count("initiatives", filter=PUBLISHED_INITIATIVES))
        .order_by("-year", "-number")
    )


@cache_public_page
def home(request):
    editions = list(published_editions())
    # Countries and totals across every published initiative: one query, whatever the size.
    initiatives = list(published_initiatives().only("countries"))
    return render(
        request,
        "public/home.html",
        {
            "current_edition": editions[0] if editions else None,
            "earlier_editions": editions[1:],
            "figures": {
                "initiatives": len(initiatives),
                "countries": len(countries_of(initiatives)),
                "editions": len(editions),
            },
        },
    )


@cache_public_page
def edition_list(request):
    return render(request, "public/edition_list.html", {"editions": published_editions()})


@cache_public_page
def edition_detail(request, slug: str):
    edition = get_object_or_404(
        Edition.objects.published()
        .select_related("programme")
        .prefetch_related(
            Prefetch("funders", queryset=EditionFunder.objects.select_related("funder"))
        ),
        slug=slug,
    )
    initiatives = list(
        edition.initiatives.published()
        .select_related("lead_organisation")
        .prefetch_related("lines_of_action", "themes")
        .order_by("order", "pk")
    )
    return render(
        request,
        "public/edition_detail.html",
        {
            "edition": edition,
            "initiatives": initiatives,
            "countries": countries_of(initiatives),
            "previous_edition": edition.previous_edition(),
            "themes": Theme.objects.filter(initiatives__in=initiatives).distinct(),
        },
    )
