"""The public site's programme pages: home (the programmes, or the only one), a programme's
page, the editions index and the edition page, and the old edition addresses (301).

Only published editions show. Every page runs a fixed number of queries, and the edition page
shows its initiatives a page at a time (``EDITION_PAGE_SIZE``), so its size is bounded too.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from grants.selectors import funding
from grants.selectors.light import map_svg, public_actions
from grants.selectors.public import (
    countries_in_use,
    countries_of,
    edition_initiatives,
    editions_with_initiative_counts,
    published_initiatives,
)
from programme.models import Edition, EditionFunder, Programme, Theme
from reports.selectors import result_photos

from ..cache import (
    cache_public_page,
    call_moments,
    call_states,
    keep_until,
    later,
    shared_data,
)

# Initiatives per edition page: each shows its description, organisation and lines of action.
EDITION_PAGE_SIZE = 20


def published_editions(request) -> list[Edition]:
    """The published editions with their counts, newest first (``editions_with_initiative_counts``),
    read from the cache while public content stays the same."""
    return shared_data(request, "editions", lambda: list(editions_with_initiative_counts()))


@cache_public_page
def home(request):
    """The programmes with a published edition; with only one, that programme's page."""
    editions = published_editions(request)
    programmes = sorted({edition.programme for edition in editions}, key=lambda p: p.name)
    if len(programmes) == 1:
        return programme_page(request, programmes[0], editions, canonical=True)
    latest = {}
    for edition in editions:  # newest first: the first seen is each programme's latest
        latest.setdefault(edition.programme_id, edition)
    # The page's body is a shared fragment: the figures are worked out only when it is not in
    # the cache; it varies with the calls it shows, which open and close with the clock.
    response = render(
        request,
        "public/programme_list.html",
        {
            "programmes": [(programme, latest[programme.pk]) for programme in programmes],
            "calls": call_states(latest.values()),
            "figures": later(
                lambda: {
                    "initiatives": published_initiatives().count(),
                    "countries": len(countries_in_use()),
                    "editions": len(editions),
                    "awarded": funding.money_awarded(),
                }
            ),
        },
    )
    return keep_until(response, call_moments(latest.values()))


@cache_public_page
def programme_detail(request, programme: str):
    editions = [e for e in published_editions(request) if e.programme.slug == programme]
    if not editions:
        raise Http404  # A programme shows once it has a published edition.
    return programme_page(request, editions[0].programme, editions)


def programme_page(request, programme: Programme, editions: list, *, canonical: bool = False):
    """A programme's page: its latest edition, the earlier ones and its figures (worked out only
    when the page's body, a shared fragment, is not in the cache)."""
    editions = [edition for edition in editions if edition.programme_id == programme.pk]
    initiatives = published_initiatives().filter(edition__programme=programme)
    response = render(
        request,
        "public/home.html",
        {
            "programme": programme,
            # The home page of a one-programme site is this page: search engines take its own.
            "canonical_path": programme.get_absolute_url() if canonical else "",
            "current_edition": editions[0] if editions else None,
            "earlier_editions": editions[1:],
            "calls": call_states(editions[:1]),
            "figures": later(
                lambda: {
                    "initiatives": initiatives.count(),
                    "countries": len(countries_in_use(initiatives)),
                    "editions": len(editions),
                    "awarded": funding.totals(initiatives),
                }
            ),
        },
    )
    # The page says whether the latest edition's call is open.
    return keep_until(response, call_moments(editions[:1]))


@cache_public_page
def edition_list(request):
    editions = published_editions(request)
    response = render(
        request,
        "public/edition_list.html",
        {"editions": editions, "calls": call_states(editions)},
    )
    # The list says which editions' calls are open.
    return keep_until(response, call_moments(editions))


@cache_public_page(params=("page",))
def edition_detail(request, programme: str, edition: str):
    edition = get_object_or_404(
        Edition.objects.published().select_related("programme"),
        slug=edition,
        programme__slug=programme,
    )
    # The page's body is a shared fragment (the same for every visitor): what it shows is
    # worked out only when the fragment is not in the cache.
    published = edition.initiatives.published()
    return render(
        request,
        "public/edition_detail.html",
        {
            "programme": edition.programme,
            "edition": edition,
            "page_asked": request.GET.get("page", ""),
            "page": later(edition_page, request, edition),
            "funders": later(
                list, EditionFunder.objects.filter(edition=edition).select_related("funder")
            ),
            "countries": later(countries_of, published),
            "previous_edition": later(edition.previous_edition),
            # What the edition awarded, per currency (at-risk grants count too).
            "edition_totals": later(funding.totals, published),
            "themes": Theme.objects.filter(
                initiatives__edition=edition, initiatives__is_published=True
            ).distinct(),
            # A light-track edition shows its day of action: the map and the list of actions.
            "actions": later(public_actions, edition) if edition.is_light else None,
        },
    )


def edition_page(request, edition: Edition):
    """The page of the edition's initiatives the visitor asked for, each with its published
    result photos (the page shows the first, else the cover)."""
    return Paginator(
        edition_initiatives(edition).prefetch_related(
            Prefetch("public_results", queryset=result_photos(), to_attr="result_photos")
        ),
        EDITION_PAGE_SIZE,
    ).get_page(request.GET.get("page"))


@cache_public_page
def actions_map(request, programme: str, edition: str):
    """The world map of a light-track edition's actions (SVG drawn here, no script): shown as
    an image on the edition page, which lists the same actions in words."""
    found = get_object_or_404(
        Edition.objects.published(), programme__slug=programme, slug=edition, track="light"
    )
    response = HttpResponse(map_svg(public_actions(found)), content_type="image/svg+xml")
    # The map's own styles are inline in the SVG document; nothing else may load.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def old_edition(request, slug: str):
    """The address editions had before they were under their programme: moved for good."""
    edition = get_object_or_404(Edition.objects.published().select_related("programme"), slug=slug)
    return moved(request, edition.get_absolute_url())


def moved(request, path: str) -> HttpResponsePermanentRedirect:
    """A 301 to ``path``, keeping the query (a page number, a campaign tag)."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


@require_GET
def programme_style(request, slug: str):
    """A programme's colours as CSS custom properties: a stylesheet of the site's own origin, so
    the Content-Security-Policy (styles from 'self' only, nothing inline) lets it apply. The
    colours are validated hex values (``programme.branding``); the page links it with
    ``Programme.style_version``, so a long browser cache never shows old colours."""
    programme = get_object_or_404(
        Programme.objects.only("slug", "primary_colour", "tint_colour"), slug=slug
    )
    # The slug is letters, digits, "-" and "_" (a SlugField): safe inside the quotes.
    css = (
        f'[data-programme="{programme.slug}"] {{\n'
        f"  --programme-primary: {programme.primary_colour};\n"
        f"  --programme-tint: {programme.tint_colour};\n"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
