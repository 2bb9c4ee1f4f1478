"""The public site's programme pages: home, editions index and edition page.

Only published editions show. Every page runs a fixed number of queries.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from grants.selectors.public import (
    countries_of,
    edition_initiatives,
    editions_with_initiative_counts,
    published_initiatives,
)
from programme.models import Edition, EditionFunder, Theme
from reports.selectors import result_photos

from ..cache import cache_public_page, call_moments, keep_until


@cache_public_page
def home(request):
    editions = list(editions_with_initiative_counts())
    # Countries and totals across every published initiative: one query, whatever the size.
    initiatives = list(published_initiatives().only("countries"))
    response = render(
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
    # The page says whether the latest edition's call is open.
    return keep_until(response, call_moments(editions[:1]))


@cache_public_page
def edition_list(request):
    editions = list(editions_with_initiative_counts())
    response = render(request, "public/edition_list.html", {"editions": editions})
    # The list says which editions' calls are open.
    return keep_until(response, call_moments(editions))


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
    # Each initiative's published result photos: the page shows the first, else the cover.
    initiatives = list(
        edition_initiatives(edition).prefetch_related(
            Prefetch("public_results", queryset=result_photos(), to_attr="result_photos")
        )
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
