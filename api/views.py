"""The read-only JSON API, ``/api/v1/`` (django-ninja; docs/architecture.md says why).

Only published data: published editions and their published initiatives, the organisations
that lead them, their countries and themes, and the approved small grants of the light track
(``/small-grants``; the same grants as the open-data files). Every list can be narrowed to one
programme (``?programme=<slug>``). Texts are in the language asked for (``?lang=``,
else the Accept-Language header, as the site's pages), with the site's fallback. A recipient
at risk is withheld as in the open-data files (``grants.selectors.disclosure``). Every list is
paginated and runs a fixed number of queries whatever the page size; every client address
(``core.network``) may make ``API_THROTTLE_RATE`` requests.
"""

from __future__ import annotations

import contextlib
from collections import Counter

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django_countries import countries
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger

from grants.models import Initiative, LightApplication
from grants.selectors.disclosure import (
    PublicRecipient,
    grant_identifier,
    hidden_label,
    is_hidden,
    prefix,
    public_organisation,
    recipient_of,
    small_grant_local_id,
    small_grant_recipient,
)
from grants.selectors.public import editions_with_initiative_counts, published_initiatives
from grants.workflow import LightPaymentStatus, LightStatus
from organisations.models import Organisation
from programme.models import Theme

from . import schemas
from .throttling import ClientRateThrottle

api = NinjaAPI(
    title="Initiatives Programme API",
    version="1",
    description=(
        "Read-only JSON API of the programmes' published grants: editions, initiatives, the "
        "organisations that lead them, their countries and themes, and the small grants of the "
        "light track; `?programme=<slug>` narrows every list. Texts in the language of "
        "`?lang=` or of the Accept-Language header. The same data as the open-data files, "
        "under the same licence."
    ),
    urls_namespace="api",
    # No call to an outside validator: the documentation page makes no third-party request.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    throttle=[ClientRateThrottle()],
)

LANGUAGES = {code for code, _name in settings.LANGUAGES}


@contextlib.contextmanager
def reading(response: HttpResponse, lang: str | None):
    """Texts in ``lang`` (when one of the site's), else in the language the locale middleware
    chose from the Accept-Language header; the response says which."""
    code = lang if lang in LANGUAGES else translation.get_language()
    if code not in LANGUAGES:
        code = settings.LANGUAGE_CODE
    with translation.override(code):
        yield code
    response["Content-Language"] = code
    patch_vary_headers(response, ["Accept-Language"])


def page_of(request: HttpRequest, items, filters: schemas.Filters, serialize) -> dict:
    """One page of ``items`` (a queryset: a count and a slice; or a list), serialized."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    start = (filters.page - 1) * filters.page_size
    if start and start >= count:
        raise HttpError(404, "No such page.")
    rows = list(items[start : start + filters.page_size])

    def link(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "next": link(filters.page + 1) if start + filters.page_size < count else None,
        "previous": link(filters.page - 1) if filters.page > 1 else None,
        "results": [serialize(row) for row in rows],
    }


def grant_filter(filters: schemas.GrantFilters, *, path: str = "", skip: tuple = ()) -> Q:
    """The filters as a condition on initiatives (reached through ``path``, e.g.
    ``initiatives__``), published ones only."""
    condition = Q(
        **{f"{path}is_published": True, f"{path}edition__is_published": True},
    )
    if filters.programme and "programme" not in skip:
        condition &= Q(**{f"{path}edition__programme__slug": filters.programme})
    if filters.edition and "edition" not in skip:
        condition &= Q(**{f"{path}edition__slug": filters.edition})
    if filters.year and "year" not in skip:
        condition &= Q(**{f"{path}edition__year": filters.year})
    if filters.country and "country" not in skip:
        condition &= Q(**{f"{path}countries__contains": filters.country.upper()})
    if filters.theme and "theme" not in skip:
        condition &= Q(**{f"{path}themes__slug": filters.theme})
    return condition


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def recipient_out(request: HttpRequest, recipient: PublicRecipient) -> dict:
    return {
        "id": recipient.identifier,
        "name": recipient.name,
        "country": recipient.country or None,
        "city": recipient.city or None,
        "website": recipient.website or None,
        "url": (
            absolute(request, reverse("public:organisation", kwargs={"slug": recipient.slug}))
            if recipient.slug
            else None
        ),
        "is_withheld": recipient.is_hidden,
    }


@api.get(
    "/editions",
    response={200: schemas.EditionPage, 404: schemas.Problem},
    tags=["editions"],
    summary="Published editions, newest first",
)
def edition_list(request, response: HttpResponse, filters: Query[schemas.GrantFilters]) -> dict:
    with reading(response, filters.lang):
        editions = (
            editions_with_initiative_counts()
            .filter(
                Exists(
                    Initiative.objects.filter(
                        grant_filter(filters, skip=("edition",)), edition=OuterRef("pk")
                    )
                )
                if filters.country or filters.theme
                else Q()
            )
            .prefetch_related("funders__funder")
        )
        if filters.programme:
            editions = editions.filter(programme__slug=filters.programme)
        if filters.year:
            editions = editions.filter(year=filters.year)
        if filters.edition:
            editions = editions.filter(slug=filters.edition)

        def serialize(edition) -> dict:
            return {
                "slug": edition.slug,
                "year": edition.year,
                "number": edition.number,
                "programme": edition.programme.name,
                "programme_slug": edition.programme.slug,
                "track": edition.track,
                "title": edition.title,
                "introduction": edition.introduction,
                "period_start": edition.period_start,
                "period_end": edition.period_end,
                "funders": [
                    {
                        "id": row.funder.identifier or f"{prefix()}-FUNDER-{row.funder.pk}",
                        "name": row.funder.name,
                    }
                    for row in edition.funders.all()
                ],
                "initiative_count": edition.initiative_count,
                "url": absolute(request, edition.get_absolute_url()),
            }

        return page_of(request, editions, filters, serialize)


def initiative_out(request: HttpRequest, initiative: Initiative) -> dict:
    hidden = is_hidden(initiative)
    codes = [country.code for country in initiative.countries]
    return {
        "id": grant_identifier(initiative),
        "slug": None if hidden else initiative.slug,
        "title": hidden_label(codes) if hidden else initiative.title,
        "summary": None if hidden else (initiative.summary or None),
        "programme": initiative.edition.programme.slug,
        "edition": initiative.edition.slug,
        "year": initiative.edition.year,
        "countries": codes,
        "themes": [{"slug": theme.slug, "name": theme.name} for theme in initiative.themes.all()],
        "amount_awarded": str(initiative.amount_awarded),
        "currency": initiative.currency,
        "awarded_on": initiative.awarded_on,
        "period_start": initiative.period_start,
        "period_end": initiative.period_end,
        "recipient": recipient_out(request, recipient_of(initiative)),
        "url": None if hidden else absolute(request, initiative.get_absolute_url()),
    }


@api.get(
    "/initiatives",
    response={200: schemas.InitiativePage, 404: schemas.Problem},
    tags=["initiatives"],
    summary="Published initiatives (the grants), newest edition first",
)
def initiative_list(request, response: HttpResponse, filters: Query[schemas.GrantFilters]) -> dict:
    with reading(response, filters.lang):
        initiatives = (
            published_initiatives()
            .filter(grant_filter(filters))
            .select_related("edition__programme", "lead_organisation")
            .prefetch_related("themes")
            .order_by("-edition__year", "-edition__number", "order", "pk")
        )
        return page_of(request, initiatives, filters, lambda row: initiative_out(request, row))


def small_grant_out(request: HttpRequest, application: LightApplication) -> dict:
    hidden = application.is_at_risk
    edition = application.edition
    return {
        "id": f"{prefix()}-{small_grant_local_id(application)}",
        "programme": edition.programme.slug,
        "edition": edition.slug,
        "year": edition.year,
        "country": application.country.code,
        "city": None if hidden else application.city,
        "action_date": application.action_date,
        "amount_awarded": str(application.amount),
        "currency": application.currency,
        "awarded_on": timezone.localdate(application.decided_at)
        if application.decided_at
        else None,
        "is_paid": application.payment_status == LightPaymentStatus.PAID,
        "recipient": recipient_out(request, small_grant_recipient(application)),
        "url": absolute(request, edition.get_absolute_url()),
    }


@api.get(
    "/small-grants",
    response={200: schemas.SmallGrantPage, 404: schemas.Problem},
    tags=["small grants"],
    summary="Approved small grants of published light-track editions, newest edition first",
)
def small_grant_list(request, response: HttpResponse, filters: Query[schemas.GrantFilters]) -> dict:
    """A small grant counts once approved (paid or not yet): the open-data files' rule. A group
    at risk is withheld as an organisation is. Small grants have no themes: ``theme`` gives
    none."""
    with reading(response, filters.lang):
        grants = LightApplication.objects.filter(
            status=LightStatus.APPROVED, edition__is_published=True
        )
        if filters.programme:
            grants = grants.filter(edition__programme__slug=filters.programme)
        if filters.edition:
            grants = grants.filter(edition__slug=filters.edition)
        if filters.year:
            grants = grants.filter(edition__year=filters.year)
        if filters.country:
            grants = grants.filter(country=filters.country.upper())
        if filters.theme:
            grants = grants.none()
        grants = (
            grants.select_related("edition__programme")
            .only(
                "edition__slug",
                "edition__year",
                "edition__programme__slug",
                "country",
                "city",
                "group_name",
                "action_date",
                "amount",
                "currency",
                "decided_at",
                "payment_status",
                "is_at_risk",
            )
            .order_by("-edition__year", "-edition__number", "action_date", "pk")
        )
        return page_of(request, grants, filters, lambda row: small_grant_out(request, row))


@api.get(
    "/organisations",
    response={200: schemas.OrganisationPage, 404: schemas.Problem},
    tags=["organisations"],
    summary="Organisations that lead a published initiative",
)
def organisation_list(
    request, response: HttpResponse, filters: Query[schemas.GrantFilters]
) -> dict:
    with reading(response, filters.lang):
        grants = Initiative.objects.filter(grant_filter(filters), lead_organisation=OuterRef("pk"))
        # A withheld organisation is listed under its label; an organisation whose every
        # grant is withheld is not listed by name (its name would point at those grants).
        organisations = Organisation.objects.filter(
            (Q(is_at_risk=False) & Exists(grants.filter(is_at_risk=False)))
            | (Q(is_at_risk=True) & Exists(grants))
        ).order_by("is_at_risk", "name", "pk")
        return page_of(
            request,
            organisations,
            filters,
            lambda row: recipient_out(request, public_organisation(row)),
        )


@api.get(
    "/countries",
    response={200: schemas.CountryPage, 404: schemas.Problem},
    tags=["countries"],
    summary="Countries of published initiatives, by name",
)
def country_list(request, response: HttpResponse, filters: Query[schemas.GrantFilters]) -> dict:
    with reading(response, filters.lang):
        counts: Counter = Counter()
        matching = Initiative.objects.filter(grant_filter(filters, skip=("country",)))
        # One row per initiative (the theme filter joins): count each initiative once.
        for value in Initiative.objects.filter(pk__in=matching.values("pk")).values_list(
            "countries", flat=True
        ):
            counts.update(code for code in (value or "").split(",") if code)
        if filters.country:
            counts = Counter({k: v for k, v in counts.items() if k == filters.country.upper()})
        rows = sorted(
            (
                {"code": code, "name": str(countries.name(code)), "initiative_count": count}
                for code, count in counts.items()
            ),
            key=lambda row: row["name"],
        )
        return page_of(request, rows, filters, lambda row: row)


@api.get(
    "/themes",
    response={200: schemas.ThemePage, 404: schemas.Problem},
    tags=["themes"],
    summary="Themes of published initiatives, with their IATI sectors",
)
def theme_list(request, response: HttpResponse, filters: Query[schemas.GrantFilters]) -> dict:
    with reading(response, filters.lang):
        condition = grant_filter(filters, path="initiatives__", skip=("theme",))
        themes = (
            Theme.objects.annotate(
                initiative_count=Count("initiatives", filter=condition, distinct=True)
            )
            .filter(initiative_count__gt=0)
            .prefetch_related("sectors")
            .order_by("order", "slug")
        )
        if filters.theme:
            themes = themes.filter(slug=filters.theme)

        def serialize(theme) -> dict:
            return {
                "slug": theme.slug,
                "name": theme.name,
                "initiative_count": theme.initiative_count,
                "sectors": [
                    {"vocabulary": sector.vocabulary, "code": sector.code}
                    for sector in theme.sectors.all()
                ],
            }

        return page_of(request, themes, filters, serialize)
