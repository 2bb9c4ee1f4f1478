"""The secretariat dashboard's figures from the grants app: applications by status, the panel's
progress, money by currency, workplans waiting, the small grants of the light track and
translations missing from published content.

Each function is one query (or one per model for the translations), aggregated in the
database: the number of queries does not depend on the number of rows. ``edition`` (an id or
None for every edition) narrows each figure to one edition, ``programme`` (an id) to the
editions of one programme. The conditions that define a figure
(``review_outstanding_q``…) are the ones the back office's list filters use, so a figure and
the list it links to agree.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from modeltranslation import settings as mt_settings

from core.admin import missing_translation_q
from organisations.models import Organisation
from programme.models import Edition

from ..models import Application, Disbursement, Initiative, LightApplication, ReviewAssignment
from ..workflow import (
    DisbursementStatus,
    LightPaymentStatus,
    LightReportStatus,
    LightStatus,
    WorkplanStatus,
)

ZERO = Decimal("0")


def _edition(field: str, edition: int | None, programme: int | None = None) -> Q:
    """Rows of one edition (``field`` is the path to its id: ``edition_id``, ``pk``…), else of
    one programme's editions, else every row."""
    if edition:
        return Q(**{field: edition})
    if programme:
        path = "programme_id" if field == "pk" else field.removesuffix("_id") + "__programme_id"
        return Q(**{path: programme})
    return Q()


def application_counts(
    *, edition: int | None = None, programme: int | None = None
) -> dict[str, int]:
    """Applications by status (only the statuses that have some)."""
    rows = (
        Application.objects.filter(_edition("edition_id", edition, programme))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


# --- the panel ------------------------------------------------------------------------------


def review_overdue_before() -> datetime.datetime:
    """An assignment still without a review this long after it was made is overdue."""
    return timezone.now() - datetime.timedelta(days=settings.REVIEW_DUE_DAYS)


def review_done_q() -> Q:
    return Q(review__submitted_at__isnull=False)


def review_outstanding_q() -> Q:
    """Assigned, neither recused nor declared in conflict, and no review submitted yet."""
    return (
        Q(is_recused=False)
        & ~Q(conflict=ReviewAssignment.Conflict.CONFLICT)
        & (Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
    )


def review_overdue_q() -> Q:
    return review_outstanding_q() & Q(assigned_at__lt=review_overdue_before())


def conflict_q() -> Q:
    return Q(conflict=ReviewAssignment.Conflict.CONFLICT)


PROGRESS = ("assigned", "done", "outstanding", "overdue", "conflicts")


def review_progress(*, edition: int | None = None, programme: int | None = None) -> list[dict]:
    """Per reviewer: id, name, email, assigned, done, outstanding, overdue, conflicts."""
    rows = (
        ReviewAssignment.objects.filter(_edition("application__edition_id", edition, programme))
        .order_by()
        .values("reviewer_id", "reviewer__full_name", "reviewer__email")
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=review_done_q()),
            outstanding=Count("pk", filter=review_outstanding_q()),
            overdue=Count("pk", filter=review_overdue_q()),
            conflicts=Count("pk", filter=conflict_q()),
        )
        .order_by("reviewer__full_name", "reviewer__email", "reviewer_id")
    )
    return [
        {
            "reviewer": row["reviewer_id"],
            "name": row["reviewer__full_name"] or row["reviewer__email"],
            "email": row["reviewer__email"],
            **{
                key: row[key] for key in ("assigned", "done", "outstanding", "overdue", "conflicts")
            },
        }
        for row in rows
    ]


# --- money ----------------------------------------------------------------------------------

MONEY = DecimalField(max_digits=24, decimal_places=8)


def _sum(expression, condition: Q | None = None):
    return Coalesce(Sum(expression, filter=condition, output_field=MONEY), ZERO, output_field=MONEY)


def money_by_currency(*, edition: int | None = None, programme: int | None = None) -> list[dict]:
    """Per grant currency: awarded (initiatives), and the tranches paid, payable and planned."""
    awarded = {
        row["currency"]: row["awarded"]
        for row in Initiative.objects.filter(_edition("edition_id", edition, programme))
        .order_by()
        .values("currency")
        .annotate(awarded=_sum("amount_awarded"))
    }
    tranches = {
        row["currency"]: row
        for row in Disbursement.objects.filter(
            _edition("initiative__edition_id", edition, programme)
        )
        .order_by()
        .values("currency")
        .annotate(
            paid=_sum("amount", Q(status=DisbursementStatus.PAID)),
            payable=_sum("amount", Q(status=DisbursementStatus.PAYABLE)),
            planned=_sum("amount", Q(status=DisbursementStatus.PLANNED)),
        )
    }
    return [
        {
            "currency": currency,
            "awarded": awarded.get(currency, ZERO),
            **{
                key: tranches.get(currency, {}).get(key, ZERO)
                for key in ("paid", "payable", "planned")
            },
        }
        for currency in sorted(set(awarded) | set(tranches))
    ]


def paid_as_sent(*, edition: int | None = None, programme: int | None = None) -> list[dict]:
    """Paid tranches by grant currency and currency sent: the share of the grant (``share``),
    that share converted at each payment's recorded exchange rate, what was sent and the fees."""
    rows = (
        Disbursement.objects.filter(_edition("initiative__edition_id", edition, programme))
        .filter(status=DisbursementStatus.PAID)
        .order_by()
        .values("currency", "sent_currency")
        .annotate(
            tranches=Count("pk"),
            share=_sum("amount"),
            converted=_sum(F("amount") * F("exchange_rate"), Q(exchange_rate__isnull=False)),
            sent=_sum("amount_sent"),
            fees=_sum("fees"),
        )
        .order_by("currency", "sent_currency")
    )
    return list(rows)


def received_differences(*, edition: int | None = None, programme: int | None = None) -> dict:
    """Receipts the grantees confirmed, and those that differ from what was sent; by currency
    received, what was sent and what arrived."""
    confirmed = Q(received_confirmed_at__isnull=False)
    rows = (
        Disbursement.objects.filter(_edition("initiative__edition_id", edition, programme))
        .filter(confirmed)
        .order_by()
        .values("sent_currency", "received_currency")
        .annotate(
            confirmed=Count("pk"),
            differing=Count("pk", filter=Q(has_received_difference=True)),
            sent=_sum("amount_sent"),
            received=_sum("amount_received"),
        )
        .order_by("sent_currency", "received_currency")
    )
    rows = list(rows)
    return {
        "rows": rows,
        "confirmed": sum(row["confirmed"] for row in rows),
        "differing": sum(row["differing"] for row in rows),
    }


def workplans_waiting(*, edition: int | None = None, programme: int | None = None) -> int:
    return Initiative.objects.filter(
        _edition("edition_id", edition, programme), workplan_status=WorkplanStatus.SUBMITTED
    ).count()


# --- the light track (small grants) --------------------------------------------------------

LIGHT_DUE_SOON_DAYS = 14
LIGHT_REPORT_OPEN = (LightReportStatus.DUE, LightReportStatus.CHANGES_REQUESTED)


def light_report_due_soon_q(today: datetime.date) -> Q:
    """A one-page report still to send (or to send again), due today or within 14 days."""
    return Q(
        report_status__in=LIGHT_REPORT_OPEN,
        report_due_on__gte=today,
        report_due_on__lte=today + datetime.timedelta(days=LIGHT_DUE_SOON_DAYS),
    )


def light_report_overdue_q(today: datetime.date) -> Q:
    """A one-page report past its due date and not sent (or to send again)."""
    return Q(report_status__in=LIGHT_REPORT_OPEN, report_due_on__lt=today)


def light_counts(*, edition: int | None = None, programme: int | None = None) -> dict[str, int]:
    """Small-grant applications by status (only the statuses that have some)."""
    rows = (
        LightApplication.objects.filter(_edition("edition_id", edition, programme))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


LIGHT_MONEY = ("approved", "paid", "in_file", "payable")


def light_money_by_currency(
    *, edition: int | None = None, programme: int | None = None
) -> list[dict]:
    """Per currency: the small grants approved (the amount of each approved application), and
    of those, paid, in a payment file sent to the bank, and payable (not yet in a file)."""
    approved = Q(status=LightStatus.APPROVED)
    rows = (
        LightApplication.objects.filter(_edition("edition_id", edition, programme), approved)
        .order_by()
        .values("currency")
        .annotate(
            approved=_sum("amount"),
            paid=_sum("amount", Q(payment_status=LightPaymentStatus.PAID)),
            in_file=_sum("amount", Q(payment_status=LightPaymentStatus.IN_FILE)),
            payable=_sum("amount", Q(payment_status=LightPaymentStatus.PAYABLE)),
        )
        .order_by("currency")
    )
    return list(rows)


def light_waiting(
    *, today: datetime.date, edition: int | None = None, programme: int | None = None
) -> dict[str, int]:
    """Small grants' one-page reports due soon, overdue and sent waiting for the secretariat,
    and applications received waiting for a decision: one query."""
    return (
        LightApplication.objects.filter(_edition("edition_id", edition, programme))
        .order_by()
        .aggregate(
            received=Count("pk", filter=Q(status=LightStatus.RECEIVED)),
            due_soon=Count("pk", filter=light_report_due_soon_q(today)),
            overdue=Count("pk", filter=light_report_overdue_q(today)),
            submitted=Count("pk", filter=Q(report_status=LightReportStatus.SUBMITTED)),
        )
    )


# --- translations missing from what the public reads ---------------------------------------


def published_organisations_q() -> Q:
    """Organisations with a public page: they lead a published initiative."""
    return Q(Exists(Initiative.objects.published().filter(lead_organisation=OuterRef("pk"))))


def translation_gaps(
    *, edition: int | None = None, programme: int | None = None
) -> dict[str, dict[str, int]]:
    """Per kind of published content (editions, initiatives, organisations), how many lack a
    translation into each language (see ``core.admin.missing_translation_q``). Organisations
    count across editions: a public page shows every initiative an organisation led."""
    sources = {
        "edition": Edition.objects.published().filter(_edition("pk", edition, programme)),
        "initiative": Initiative.objects.published().filter(
            _edition("edition_id", edition, programme)
        ),
        "organisation": Organisation.objects.filter(published_organisations_q()),
    }
    languages = list(mt_settings.AVAILABLE_LANGUAGES)
    gaps = {}
    for name, queryset in sources.items():
        model = queryset.model
        gaps[name] = queryset.order_by().aggregate(
            **{code: Count("pk", filter=missing_translation_q(model, code)) for code in languages}
        )
    return gaps
