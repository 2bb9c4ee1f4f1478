"""The published grants as the open-data files read them: a fixed number of queries per chunk
of rows, whatever the number of grants, so that writing a file keeps memory bounded; rows every
grant shares (editions, themes, funders, sectors) are read once and shared."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language

from grants.models import Disbursement, Indicator, Initiative
from grants.selectors.disclosure import country_names
from grants.selectors.public import published_initiatives
from grants.workflow import DisbursementStatus
from programme.models import Edition, EditionFunder, Theme, ThemeSector
from reports.models import IndicatorValue
from reports.workflow import ReportStatus

CHUNK = 2000
# What the files read of an initiative (not its workplan texts, photo or history).
TRANSLATED = ("title", "summary", "description")
ORDER = ("edition__year", "edition__number", "order", "pk")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@functools.lru_cache(maxsize=4096)
def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` (the active one), remembered: a file names the same
    few countries thousands of times."""
    return country_names([code])


def name_of_country(code: str) -> str:
    return country_name(code, get_language())


@dataclass
class Lookups:
    """Rows every grant of an edition or a theme shares, read once per file."""

    editions: dict[int, Edition] = field(default_factory=dict)  # with their programme
    themes: dict[int, Theme] = field(default_factory=dict)
    funders: dict[int, list] = field(default_factory=dict)  # edition id → EditionFunder
    sectors: dict[int, list] = field(default_factory=dict)  # theme id → ThemeSector
    urls: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        editions = {
            edition.pk: edition
            for edition in Edition.objects.published().select_related("programme")
        }
        funders: dict[int, list] = defaultdict(list)
        for row in EditionFunder.objects.filter(edition__is_published=True).select_related(
            "funder"
        ):
            funders[row.edition_id].append(row)
        sectors: dict[int, list] = defaultdict(list)
        for sector in ThemeSector.objects.all():
            sectors[sector.theme_id].append(sector)
        return cls(
            editions=editions,
            themes={theme.pk: theme for theme in Theme.objects.all()},
            funders=dict(funders),
            sectors=dict(sectors),
        )

    def edition_url(self, edition: Edition) -> str:
        key = ("edition", edition.pk, get_language())
        if key not in self.urls:
            self.urls[key] = absolute(edition.get_absolute_url())
        return self.urls[key]

    def initiative_url(self, initiative: Initiative) -> str:
        """The initiative's page, from its edition's address pattern (reversed once)."""
        key = ("initiative", initiative.edition_id, get_language())
        if key not in self.urls:
            self.urls[key] = absolute(
                reverse(
                    "public:initiative",
                    kwargs={
                        "programme": initiative.edition.programme.slug,
                        "edition": initiative.edition.slug,
                        "slug": "--slug--",
                    },
                )
            )
        return self.urls[key].replace("--slug--", initiative.slug)


def published_grants(lookups: Lookups, *, with_results: bool = False) -> Iterator[Initiative]:
    """Every published initiative of a published edition, in a fixed order, with its edition
    (and programme, from ``lookups``), its lead organisation, ``theme_list`` (its themes, in
    their order) and ``paid`` (its paid tranches); with ``with_results`` its indicators and
    the values accepted reports gave them (``indicator.reported``). Read ``CHUNK`` at a time."""
    ids = list(published_initiatives().order_by(*ORDER).values_list("pk", flat=True))
    through = Initiative.themes.through
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        themes: dict[int, list] = defaultdict(list)
        for initiative_id, theme_id in through.objects.filter(initiative_id__in=chunk).values_list(
            "initiative_id", "theme_id"
        ):
            themes[initiative_id].append(lookups.themes[theme_id])
        prefetches = [
            Prefetch(
                "disbursements",
                queryset=Disbursement.objects.filter(status=DisbursementStatus.PAID).order_by(
                    "paid_on", "tranche"
                ),
                to_attr="paid",
            )
        ]
        if with_results:
            prefetches.append(results_prefetch())
        rows = (
            Initiative.objects.filter(pk__in=chunk)
            .select_related("lead_organisation")
            .only(*loaded_fields())
            .prefetch_related(*prefetches)
            .order_by(*ORDER)
        )
        for initiative in rows:
            initiative.edition = lookups.editions[initiative.edition_id]
            initiative.theme_list = sorted(
                themes.get(initiative.pk, ()), key=lambda theme: (theme.order, theme.slug)
            )
            yield initiative


@functools.cache
def loaded_fields() -> tuple[str, ...]:
    translated = [
        f"{name}_{code}" for name in TRANSLATED for code in settings.MODELTRANSLATION_LANGUAGES
    ]
    own = (
        "edition_id",
        "slug",
        "countries",
        "amount_awarded",
        "currency",
        "awarded_on",
        "period_start",
        "period_end",
        "status",
        "is_at_risk",
        "original_language",
        "order",
        "created_at",
        "updated_at",
    )
    organisation = tuple(
        f"lead_organisation__{name}"
        for name in (
            "name",
            "slug",
            "country",
            "city",
            "website",
            "identifier",
            "is_at_risk",
            "updated_at",
        )
    )
    return (*own, *translated, *organisation)


def results_prefetch() -> Prefetch:
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(
                    report__status=ReportStatus.ACCEPTED, value__isnull=False
                )
                .select_related("report")
                .order_by("report__period_start", "pk"),
                to_attr="reported",
            )
        ),
    )


def amount_paid(initiative: Initiative) -> Decimal | None:
    """What was paid of the grant, in its currency (tranches paid in another currency are not
    added up); None when nothing was paid yet."""
    paid = [row.amount for row in initiative.paid if row.currency == initiative.currency]
    return sum(paid, Decimal(0)) if paid else None


def last_modified(initiative: Initiative):
    """When anything the files show of this grant last changed."""
    return max(
        initiative.updated_at,
        initiative.edition.updated_at,
        initiative.lead_organisation.updated_at,
    )
