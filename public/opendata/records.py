"""The published grants as the open-data files read them: a fixed number of queries per chunk
of rows, whatever the number of grants, so that writing a file keeps memory bounded; rows every
grant shares (editions, themes, funders, sectors) are read once and shared."""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, Prefetch, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language

from core.translation import active_language, reading_order
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
    memo: dict = field(default_factory=dict)  # what a file works out once per edition
    # The language of the addresses, when a file is in one language only (else the active one).
    language: str = ""

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
        key = ("edition", edition.pk, self.language or get_language())
        if key not in self.urls:
            self.urls[key] = absolute(edition.get_absolute_url())
        return self.urls[key]

    def initiative_url(self, initiative: Initiative) -> str:
        """The initiative's page, from its edition's address pattern (reversed once)."""
        key = ("initiative", initiative.edition_id, self.language or get_language())
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


def among(ids: list[int]) -> RawSQL | list[int]:
    """The ids ``ids`` for an ``__in`` lookup, sent to PostgreSQL as one array: a chunk's
    2,000 ids written as 2,000 parameters cost the database driver more than the query (it
    parses them in Python, each time)."""
    if connection.vendor != "postgresql":
        return list(ids)
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def results_of(ids: list[int]):
    """The indicators of the initiatives ``ids``, in their order, each with ``reported``:
    the values accepted reports gave it, oldest period first."""
    return (
        Indicator.objects.filter(initiative_id__in=among(ids))
        .order_by("initiative_id", "order", "pk")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(
                    report__status=ReportStatus.ACCEPTED, value__isnull=False
                )
                .select_related("report")
                .order_by("report__period_start", "pk"),
                to_attr="reported",
            )
        )
    )


class _Country:
    """A country code as the disclosure rules read it (``.code``; false when empty)."""

    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __bool__(self) -> bool:
        return bool(self.code)


class _Row:
    """A grant or its organisation read as plain values, with the attributes the files and
    ``grants.selectors.disclosure`` read of a model instance (much cheaper to make)."""

    def __init__(self, **values):
        self.__dict__.update(values)


ORGANISATION_FIELDS = (
    "name",
    "slug",
    "country",
    "city",
    "website",
    "identifier",
    "is_at_risk",
    "updated_at",
)


def grant_rows(
    lookups: Lookups, *, with_payments: bool = False, with_results: bool = False
) -> Iterator[_Row]:
    """Every published initiative of a published edition, in the files' order, as light rows
    streamed from one query (a server-side cursor, ``CHUNK`` rows at a time): its texts in
    the active language with the site's fallback (``title``, ``summary``, ``description``),
    ``countries`` and ``lead_organisation`` as the disclosure rules read them, ``edition``
    and ``theme_list`` from ``lookups``, and ``paid_amount``: what was paid of it in its
    currency (tranches paid in another currency are not added up), None when nothing was.
    With ``with_payments``, ``paid``: its paid tranches; with ``with_results``,
    ``indicator_list``: its indicators, each with the values accepted reports gave it
    (``indicator.reported``), read ``CHUNK`` grants at a time (a fixed number of queries per
    chunk).

    100,000 grants make 100,000 rows: nothing is done per row that could be done once (the
    columns to read each text from, per original language, are worked out once)."""
    paid = (
        Disbursement.objects.filter(
            initiative=OuterRef("pk"),
            status=DisbursementStatus.PAID,
            currency=OuterRef("currency"),
        )
        .order_by()
        .values("initiative")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    themes = ArraySubquery(
        Initiative.themes.through.objects.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("theme_id")
    )
    own = [name for name in loaded_fields() if not name.startswith("lead_organisation__")]
    organisation = [f"lead_organisation__{name}" for name in ORGANISATION_FIELDS]
    names = ["pk", *own, "lead_organisation_id", *organisation, "paid_amount", "theme_ids"]
    rows = (
        published_initiatives()
        .rewrite(False)  # plain values: the texts' fallback is worked out here, once per column
        .order_by(*ORDER)
        .annotate(paid_amount=Subquery(paid), theme_ids=themes)
        .values_list(*names)
    )
    first_organisation = names.index("lead_organisation_id")
    last_organisation = first_organisation + 1 + len(ORGANISATION_FIELDS)
    own_names = names[:first_organisation]
    current = active_language()
    orders: dict[str, list[tuple[str, list[str]]]] = {}

    def columns(original: str) -> list[tuple[str, list[str]]]:
        if original not in orders:
            order = reading_order(current, original)
            orders[original] = [
                (name, [f"{name}_{language}" for language in order]) for name in TRANSLATED
            ]
        return orders[original]

    themes_by_id = lookups.themes
    # What many grants share, made once and shared (the rows are read, never changed): the
    # country lists (a few dozen spellings for 100,000 grants), the theme lists.
    country_lists: dict[str | None, list[_Country]] = {}
    theme_lists: dict[tuple, list] = {}
    editions = lookups.editions

    def make(values) -> _Row:
        row = _Row()
        texts = row.__dict__
        texts.update(zip(own_names, values[:first_organisation], strict=True))
        lead = _Row(pk=values[first_organisation])
        lead.__dict__.update(
            zip(
                ORGANISATION_FIELDS, values[first_organisation + 1 : last_organisation], strict=True
            )
        )
        country = lead.country or ""
        lead.country = _Country(country)
        row.lead_organisation = lead
        row.paid_amount, theme_ids = values[last_organisation:]
        row.edition = editions[row.edition_id]
        countries = row.countries
        if countries not in country_lists:
            country_lists[countries] = [
                _Country(code) for code in (countries or "").split(",") if code
            ]
        row.countries = country_lists[countries]
        for name, candidates in columns(row.original_language):
            for candidate in candidates:
                if texts.get(candidate):
                    texts[name] = texts[candidate]
                    break
            else:
                texts[name] = ""
        key = tuple(theme_ids) if theme_ids else ()
        if key not in theme_lists:
            theme_lists[key] = sorted(
                (themes_by_id[pk] for pk in key), key=lambda theme: (theme.order, theme.slug)
            )
        row.theme_list = theme_lists[key]
        return row

    batch: list[_Row] = []
    with without_jit():
        for values in rows.iterator(chunk_size=CHUNK):
            batch.append(make(values))
            if len(batch) == CHUNK:
                yield from _completed(batch, with_payments=with_payments, with_results=with_results)
                batch = []
    yield from _completed(batch, with_payments=with_payments, with_results=with_results)


@contextlib.contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compilation off for the block (and then as it was). The query of
    every grant is costly enough for PostgreSQL to compile it, and compiling takes longer
    than it saves: with 100,000 grants, 3.7 s of database time with, 2.0 s without."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
        previous = cursor.fetchone()[0]
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('jit', %s, false)", [previous])


def _completed(batch: list[_Row], *, with_payments: bool, with_results: bool) -> list[_Row]:
    """``batch`` with its paid tranches and its indicators, when asked (two queries or so)."""
    ids = [row.pk for row in batch]
    if with_payments:
        paid: dict[int, list] = defaultdict(list)
        for initiative_id, amount, currency, paid_on, tranche in (
            Disbursement.objects.filter(
                initiative_id__in=among(ids), status=DisbursementStatus.PAID
            )
            .order_by("paid_on", "tranche")
            .values_list("initiative_id", "amount", "currency", "paid_on", "tranche")
        ):
            paid[initiative_id].append(
                _Row(amount=amount, currency=currency, paid_on=paid_on, tranche=tranche)
            )
        for row in batch:
            row.paid = paid.get(row.pk, [])
    if with_results:
        indicators: dict[int, list] = defaultdict(list)
        for indicator in results_of(ids):
            indicators[indicator.initiative_id].append(indicator)
        for row in batch:
            row.indicator_list = indicators.get(row.pk, [])
    return batch


def last_modified(initiative: Initiative):
    """When anything the files show of this grant last changed."""
    return max(
        initiative.updated_at,
        initiative.edition.updated_at,
        initiative.lead_organisation.updated_at,
    )
