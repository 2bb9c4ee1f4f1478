"""Public pages of funded initiatives: the initiative, lists by country and theme, search."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_countries import countries

from grants.models import Initiative
from grants.selectors import public as selectors
from grants.selectors.disclosure import named
from programme.models import Edition, EditionFunder, Theme
from reports.selectors import initiative_results

from .. import structured_data
from ..cache import cache_public_page, later, shared_data
from ..search import search_initiatives
from .editions import moved

PAGE_SIZE = 24


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@cache_public_page
def initiative_detail(request, programme: str, edition: str, slug: str):
    # A grant whose recipient is at risk has no page: its list entries say only "a community
    # organisation in <country>" (``grants.selectors.disclosure``).
    initiative = shared_data(
        request,
        f"initiative:{programme}:{edition}:{slug}",
        lambda: (
            named(Initiative.objects.published())
            .select_related("edition__programme", "lead_organisation")
            .filter(edition__programme__slug=programme, edition__slug=edition, slug=slug)
            .first()
        ),
    )
    if initiative is None:
        raise Http404
    others = (
        named(selectors.public_initiatives())
        .filter(lead_organisation=initiative.lead_organisation)
        .exclude(pk=initiative.pk)
    )
    # The page's body and its description for search engines are shared fragments
    # (``templates/public/initiative_detail.html``): what they show is read only when they are
    # not in the cache.
    return render(
        request,
        "public/initiative_detail.html",
        {
            "programme": initiative.edition.programme,
            "initiative": initiative,
            "themes": later(list, initiative.themes.all()),
            "lines": later(list, initiative.public_lines_of_action.all()),
            "other_initiatives": others,
            "results": later(initiative_results, initiative),
            "structured_data": later(grant_data, request, initiative),
        },
    )


def grant_data(request, initiative: Initiative):
    """The schema.org description of the initiative's grant, in a script element."""
    prefetch_related_objects(
        [initiative.edition],
        Prefetch("funders", queryset=EditionFunder.objects.select_related("funder")),
    )
    return structured_data.script(
        structured_data.monetary_grant(initiative, absolute=request.build_absolute_uri)
    )


def old_initiative(request, edition: str, slug: str):
    """The address initiatives had before editions were under their programme: moved for
    good (the new address says whether the initiative is public)."""
    edition = get_object_or_404(
        Edition.objects.published().select_related("programme"), slug=edition
    )
    path = reverse(
        "public:initiative",
        kwargs={"programme": edition.programme.slug, "edition": edition.slug, "slug": slug},
    )
    return moved(request, path)


@cache_public_page(params=("edition", "country", "theme", "page"))
def initiative_list(request):
    """Every published initiative, filtered by edition, country and theme (plain GET form)."""
    chosen = {
        "edition": request.GET.get("edition", ""),
        "country": request.GET.get("country", "").upper(),
        "theme": request.GET.get("theme", ""),
    }
    initiatives = selectors.filter_initiatives(selectors.public_initiatives(), **chosen)
    # The page's body is a shared fragment per query (``templates/public/initiative_list.html``):
    # the lists are worked out only when it is not in the cache.
    return render(
        request,
        "public/initiative_list.html",
        {
            "query_key": request.GET.urlencode(),
            "page": later(paginate, request, initiatives),
            "chosen": chosen,
            "editions": Edition.objects.published().order_by("-year"),
            "countries": later(country_choices),
            "themes": selectors.themes_in_use(),
        },
    )


def country_choices() -> list[tuple[str, str]]:
    """The countries of published initiatives, (code, name in the active language), by name."""
    return sorted(
        ((code, countries.name(code)) for code in selectors.countries_in_use()),
        key=lambda choice: choice[1],
    )


@cache_public_page(params=("page",))
def country_detail(request, code: str):
    code = code.upper()
    if not selectors.is_known_country(code):
        raise Http404
    initiatives = selectors.filter_initiatives(selectors.public_initiatives(), country=code)
    page = paginate(request, initiatives)  # counts them; the page's rows are read lazily
    if not page.paginator.count:
        raise Http404
    return render(
        request,
        "public/country_detail.html",
        {
            "country_code": code,
            "country_name": countries.name(code),
            "page": page,
            "query_key": request.GET.urlencode(),
        },
    )


@cache_public_page(params=("page",))
def theme_detail(request, slug: str):
    theme = get_object_or_404(Theme, slug=slug)
    page = paginate(
        request, selectors.filter_initiatives(selectors.public_initiatives(), theme=slug)
    )
    if not page.paginator.count:
        raise Http404
    return render(
        request,
        "public/theme_detail.html",
        {"theme": theme, "page": page, "query_key": request.GET.urlencode()},
    )


@cache_public_page(params=("q", "page"))
def search(request):
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "public/search.html",
        {
            "query": query,
            "query_key": request.GET.urlencode(),
            "page": later(search_page, request, query),
        },
    )


def search_page(request, query: str):
    """The page of results asked for, or None before anything is typed."""
    return paginate(request, search_initiatives(query)) if query.strip() else None
