"""The public site's programme pages: home, editions index and edition page.

Only published editions show. Every page runs a fixed number of queries, and the edition page
shows its initiatives a page at a time (``EDITION_PAGE_SIZE``), so its size is bounded too.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from grants.selectors import funding
from grants.selectors.light import map_svg, public_actions
from grants.selectors.public import (
    countries_in_use,
    countries_of,
    edition_initiatives,
    editions_with_initiative_counts,
    published_initiatives,
)
from programme.models import Edition, EditionFunder, Theme
from reports.selectors import result_photos

from ..cache import cache_public_page, call_moments, keep_until

# Initiatives per edition page: each shows its description, organisation and lines of action.
EDITION_PAGE_SIZE = 20


@cache_public_page
def home(request):
    editions = list(editions_with_initiative_counts())
    # Totals across every published initiative, counted in the database.
    response = render(
        request,
        "public/home.html",
        {
            "current_edition": editions[0] if editions else None,
            "earlier_editions": editions[1:],
            "figures": {
                "initiatives": published_initiatives().count(),
                "countries": len(countries_in_use()),
                "editions": len(editions),
                "awarded": funding.money_awarded(),
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


@cache_public_page(params=("page",))
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
    page = Paginator(
        edition_initiatives(edition).prefetch_related(
            Prefetch("public_results", queryset=result_photos(), to_attr="result_photos")
        ),
        EDITION_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "public/edition_detail.html",
        {
            "edition": edition,
            "page": page,
            "initiatives": page.object_list,
            "countries": countries_of(edition.initiatives.published()),
            "previous_edition": edition.previous_edition(),
            # What the edition awarded, per currency (at-risk grants count too).
            "edition_totals": funding.totals(edition.initiatives.published()),
            "themes": Theme.objects.filter(
                initiatives__edition=edition, initiatives__is_published=True
            ).distinct(),
            # A light-track edition shows its day of action: the map and the list of actions.
            "actions": public_actions(edition) if edition.is_light else None,
        },
    )


@cache_public_page
def actions_map(request, slug: str):
    """The world map of a light-track edition's actions (SVG drawn here, no script): shown as
    an image on the edition page, which lists the same actions in words."""
    edition = get_object_or_404(Edition.objects.published(), slug=slug, track="light")
    response = HttpResponse(map_svg(public_actions(edition)), content_type="image/svg+xml")
    # The map's own styles are inline in the SVG document; nothing else may load.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
