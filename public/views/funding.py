"""The funding explorer: what the programme awarded, added up per edition, year, country and
theme, a world map shaded by amount (drawn on the server, ``public.maps``) with the same
figures in a table, and the grants in a table that sorts, filters and pages through links and
a GET form (no JavaScript). A fixed number of queries whatever the data; cached like every
public page, and its content (all but the site's header and footer, which say who is signed
in) kept as a shared fragment for everyone else. A recipient at risk is shown by its neutral
label and its grant still counts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django_countries import countries

from grants.selectors import funding
from grants.selectors.disclosure import hidden_label, is_hidden, recipient_of
from grants.selectors.public import countries_in_use, themes_in_use
from programme.models import Edition

from ..cache import cache_public_page, shared_fragment, used_query
from ..forms import FundingFilterForm
from ..maps import world_map

PAGE_SIZE = 25
PARAMS = ("edition", "year", "country", "theme", "min", "max", "sort", "page")


def url_maker(name: str, argument: str) -> Callable[[str], str]:
    """``reverse(name, kwargs={argument: value})`` for many values (country codes, slugs:
    nothing to quote), the URL resolved once rather than once a row."""
    head, tail = reverse(name, kwargs={argument: "VALUE"}).rsplit("VALUE", 1)
    return lambda value: f"{head}{value}{tail}"


def grant_row(initiative, organisation_url: Callable[[str], str]) -> dict:
    """One line of the grants table, with only what the public may know of the recipient."""
    hidden = is_hidden(initiative)
    codes = [country.code for country in initiative.countries]
    recipient = recipient_of(initiative)
    return {
        "initiative": initiative,
        "title": hidden_label(codes) if hidden else initiative.title,
        "url": "" if hidden else initiative.get_absolute_url(),
        "recipient": recipient,
        "recipient_url": organisation_url(recipient.slug) if recipient.slug else "",
    }


@cache_public_page(params=PARAMS)
def funding_explorer(request):
    # What the content reads and is kept under (as the page cache does for visitors).
    request.GET = used_query(request, PARAMS)
    request.META["QUERY_STRING"] = request.GET.urlencode()
    content = shared_fragment(
        "funding",
        request,
        lambda: render_to_string(
            "public/includes/funding_explorer.html", explorer_context(request), request
        ),
    )
    return render(request, "public/funding.html", {"content": mark_safe(content)})  # noqa: S308


def explorer_context(request) -> dict:
    """What the explorer's content shows for the filters, order and page of ``request``."""
    editions = list(
        Edition.objects.published().select_related("programme").order_by("-year", "-number")
    )
    country_choices = sorted(
        ((code, countries.name(code)) for code in countries_in_use()), key=lambda c: c[1]
    )
    themes = list(themes_in_use().order_by("order", "slug"))
    form = FundingFilterForm(
        request.GET or None, editions=editions, countries=country_choices, themes=themes
    )
    grants = funding.funded_grants(**form.filters())

    totals = funding.totals(grants)
    by_edition = {edition.pk: edition for edition in editions}
    by_theme = {theme.pk: theme for theme in themes}
    names = dict(country_choices)
    country_totals = funding.totals_by_country(grants)
    main_currency = totals[0].currency if totals else ""
    description = gettext(
        "Countries shaded by the amount of the grants that work there, in %(currency)s: the "
        "darker, the more. The table “By country” gives the same figures."
    ) % {"currency": main_currency}
    if len(totals) > 1:
        description += " " + gettext("Grants in other currencies are only in the tables.")
    world = world_map(
        [(t.key, t.amount) for t in country_totals if t.currency == main_currency],
        currency=main_currency,
        title=gettext("Map of the money awarded per country"),
        description=description,
        names=names,
    )
    country_url = url_maker("public:country", "code")
    theme_url = url_maker("public:theme", "slug")
    organisation_url = url_maker("public:organisation", "slug")
    page = Paginator(funding.sorted_grants(grants, form.chosen_sort()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {
        "form": form,
        "sort": form.chosen_sort(),
        "totals": totals,
        "tables": [
            {
                "id": "by-edition",
                "title": gettext("By edition"),
                "column": gettext("Edition"),
                "rows": [
                    (by_edition[t.key].title, by_edition[t.key].get_absolute_url(), t)
                    for t in funding.totals_by_edition(grants)
                    if t.key in by_edition
                ],
            },
            {
                "id": "by-year",
                "title": gettext("By year"),
                "column": gettext("Year"),
                "rows": [(str(t.key), "", t) for t in funding.totals_by_year(grants)],
            },
            {
                "id": "by-country",
                "title": gettext("By country"),
                "column": gettext("Country"),
                "rows": [
                    (names.get(t.key, t.key), country_url(t.key.lower()), t) for t in country_totals
                ],
            },
            {
                "id": "by-theme",
                "title": gettext("By theme"),
                "column": gettext("Theme"),
                "rows": [
                    (by_theme[t.key].name, theme_url(by_theme[t.key].slug), t)
                    for t in funding.totals_by_theme(grants)
                    if t.key in by_theme
                ],
            },
        ],
        "world_map": mark_safe(world) if totals else "",  # noqa: S308 - built by lxml
        "page": page,
        "rows": [grant_row(initiative, organisation_url) for initiative in page.object_list],
    }
