"""The published grants as the open-data files read them: a fixed number of queries per chunk
of rows, whatever the number of grants, so that writing a file keeps memory bounded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch

from grants.models import Disbursement, Indicator, Initiative
from grants.selectors.public import published_initiatives
from grants.workflow import DisbursementStatus
from programme.models import EditionFunder, ThemeSector
from reports.models import IndicatorValue
from reports.workflow import ReportStatus

CHUNK = 2000


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class Lookups:
    """Rows every grant of an edition or a theme shares, read once per file."""

    funders: dict[int, list] = field(default_factory=dict)  # edition id → EditionFunder
    sectors: dict[int, list] = field(default_factory=dict)  # theme id → ThemeSector

    @classmethod
    def load(cls) -> Lookups:
        funders: dict[int, list] = defaultdict(list)
        for row in EditionFunder.objects.filter(edition__is_published=True).select_related(
            "funder"
        ):
            funders[row.edition_id].append(row)
        sectors: dict[int, list] = defaultdict(list)
        for sector in ThemeSector.objects.all():
            sectors[sector.theme_id].append(sector)
        return cls(funders=dict(funders), sectors=dict(sectors))


def published_grants(*, with_results: bool = False) -> Iterator[Initiative]:
    """Every published initiative of a published edition, in a fixed order, with its edition,
    programme, lead organisation, themes and paid tranches (``paid``), and with
    ``with_results`` its indicators and the values accepted reports gave them
    (``indicator.reported``)."""
    prefetches = [
        "themes",
        Prefetch(
            "disbursements",
            queryset=Disbursement.objects.filter(status=DisbursementStatus.PAID).order_by(
                "paid_on", "tranche"
            ),
            to_attr="paid",
        ),
    ]
    if with_results:
        prefetches.append(
            Prefetch(
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
        )
    queryset = (
        published_initiatives()
        .select_related("edition__programme", "lead_organisation")
        .prefetch_related(*prefetches)
        .order_by("edition__year", "edition__number", "order", "pk")
    )
    yield from queryset.iterator(chunk_size=CHUNK)


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
