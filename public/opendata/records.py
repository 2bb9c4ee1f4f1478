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
from django.db.models import JSONField, Max, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext

from core.translation import active_language, reading_order
from grants.models import Disbursement, Indicator, Initiative, LightApplication
from grants.selectors.disclosure import (
    country_names,
    grant_local_id,
    is_hidden,
    recipient_of,
    small_grant_local_id,
    small_grant_recipient,
)
from grants.selectors.public import published_initiatives
from grants.workflow import (
    DisbursementStatus,
    InitiativeStatus,
    LightPaymentStatus,
    LightReportStatus,
    LightStatus,
)
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

    def grant_url(self, row) -> str:
        """A grant's public page: the initiative's, or for a small grant (no page of its own)
        its edition's, where the map of the day of action shows it."""
        if row.is_small_grant:
            return self.edition_url(row.edition)
        return self.initiative_url(row)


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
    # Each grant's theme ids in its row on PostgreSQL; elsewhere (SQLite, the quick start) from
    # one query of the pairs.
    theme_pairs = Initiative.themes.through.objects.order_by()
    if connection.vendor == "postgresql":
        themes = ArraySubquery(theme_pairs.filter(initiative=OuterRef("pk")).values("theme_id"))
        themes_of = None
    else:
        themes = Value(None, output_field=JSONField())
        themes_of: dict[int, list[int]] | None = {}
        for initiative_id, theme_id in theme_pairs.values_list("initiative_id", "theme_id"):
            themes_of.setdefault(initiative_id, []).append(theme_id)
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
        if themes_of is not None:
            theme_ids = themes_of.get(row.pk)
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
        row.is_small_grant = False
        row.hidden = is_hidden(row)
        row.recipient = recipient_of(row)
        row.local_id = grant_local_id(row)
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


def all_grant_rows(
    lookups: Lookups, *, with_payments: bool = False, with_results: bool = False
) -> Iterator[_Row]:
    """Every grant the open data publishes: the initiatives (``grant_rows``), then the small
    grants of the light track (``small_grant_rows``)."""
    yield from grant_rows(lookups, with_payments=with_payments, with_results=with_results)
    yield from small_grant_rows(lookups, with_payments=with_payments)


SMALL_GRANT_FIELDS = (
    "pk",
    "edition_id",
    "group_name",
    "country",
    "city",
    "action_date",
    "amount",
    "currency",
    "language",
    "is_at_risk",
    "created_at",
    "decided_at",
    "payment_status",
    "paid_on",
    "report_status",
    "changed_at",
)


def small_grant_rows(lookups: Lookups, *, with_payments: bool = False) -> Iterator[_Row]:
    """The small grants of the published editions of the light track, read as grants: every
    application **approved** (whether paid yet or not: approval is the award, the payment its
    one disbursement), streamed from one query. Declined, withdrawn or undecided applications
    are not grants. A small grant is awarded on its decision, runs on the day of its action,
    is paid once (``paid_amount``; with ``with_payments``, ``paid``: that payment), and is
    complete once its one-page report is accepted. Its recipient is the group
    (``grants.selectors.disclosure.small_grant_recipient``: at risk, “A community
    organisation in <country>”); its texts name the group, the city and the date, never what
    the applicant typed, in every language (the description is the site's own sentence). It
    has no themes and no results."""
    rows = (
        LightApplication.objects.filter(status=LightStatus.APPROVED, edition__is_published=True)
        .annotate(changed_at=Coalesce(Max("history__created_at"), "created_at"))
        .order_by("edition__year", "edition__number", "action_date", "pk")
        .values_list(*SMALL_GRANT_FIELDS)
    )
    current = active_language()
    languages = list(settings.MODELTRANSLATION_LANGUAGES)
    sentences: dict[str, str] = {}
    for code in languages:
        with translation.override(code):
            sentences[code] = gettext(
                "A small grant of %(edition)s for an action in %(city)s on %(date)s."
            )
    for values in rows.iterator(chunk_size=CHUNK):
        data = dict(zip(SMALL_GRANT_FIELDS, values, strict=True))
        edition = lookups.editions.get(data["edition_id"])
        if edition is None:
            continue
        row = _Row(
            pk=data["pk"],
            edition_id=edition.pk,
            edition=edition,
            is_small_grant=True,
            is_at_risk=data["is_at_risk"],
            countries=[_Country(data["country"])],
            amount_awarded=data["amount"],
            currency=data["currency"],
            awarded_on=timezone.localdate(data["decided_at"]) if data["decided_at"] else None,
            created_at=data["created_at"],
            updated_at=data["changed_at"],
            period_start=data["action_date"],
            period_end=data["action_date"],
            status=InitiativeStatus.COMPLETED
            if data["report_status"] == LightReportStatus.ACCEPTED
            else InitiativeStatus.ACTIVE,
            original_language=data["language"],
            theme_list=[],
            indicator_list=[],
        )
        row.lead_organisation = _Row(
            pk=data["pk"],
            name=data["group_name"],
            country=_Country(data["country"]),
            city=data["city"],
            website="",
            identifier="",
            is_at_risk=data["is_at_risk"],
            updated_at=data["changed_at"],
        )
        row.country = row.lead_organisation.country
        row.group_name = data["group_name"]
        row.city = data["city"]
        row.hidden = row.is_at_risk
        row.recipient = small_grant_recipient(row)
        row.local_id = small_grant_local_id(row)
        title = f"{data['group_name']}, {data['city']}"
        for code in languages:
            with translation.override(code):
                edition_title = edition.title
            setattr(row, f"title_{code}", title if code == row.original_language else "")
            setattr(
                row,
                f"summary_{code}",
                sentences[code]
                % {
                    "edition": edition_title,
                    "city": data["city"],
                    "date": data["action_date"].isoformat(),
                },
            )
        row.title = title
        row.summary = getattr(row, f"summary_{current}", "") or getattr(row, "summary_en", "")
        row.description = ""
        paid = data["payment_status"] == LightPaymentStatus.PAID
        row.paid_amount = data["amount"] if paid else None
        if with_payments:
            row.paid = (
                [
                    _Row(
                        amount=data["amount"],
                        currency=data["currency"],
                        paid_on=data["paid_on"],
                        tranche=1,
                    )
                ]
                if paid
                else []
            )
        yield row


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
