"""The secretariat's dashboard: where the programme stands, for one edition or all of them.

Every figure comes from a selector of the app that owns it (aggregated in the database, a fixed
number of queries), is drawn as an SVG bar chart made on the server (``secretariat.charts``)
with a table of the same figures next to it, and links to the back-office list it counts, with
that list's filters set.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.money import format_amount
from grants.selectors import dashboard as grants_figures
from grants.workflow import ApplicationStatus, DisbursementStatus, LightPaymentStatus, LightStatus
from notifications.selectors import failed_count
from organisations.selectors import waiting_for_the_secretariat
from programme.models import Edition, Programme
from reports.selectors import report_counts

from ..charts import Bar, bar_chart
from ..dashboard_cache import cached_figures
from .access import back_office_page, secretariat_required


@functools.lru_cache(maxsize=256)
def _changelist_url(model: str, _language, _urlconf, _prefix) -> str:
    return reverse(f"admin:{model}_changelist")


def changelist(model: str, **filters) -> str:
    """The back office's list of ``model`` ("app_model"), with ``filters`` as its query.

    The page links every figure (several hundred links with a large panel): each list's
    address is worked out once per language, not once per link."""
    url = _changelist_url(model, get_language(), get_urlconf(), get_script_prefix())
    query = {key: value for key, value in filters.items() if value is not None}
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Scope:
    """What the figures count: one edition, or one programme's editions, or every edition."""

    edition: int | None = None
    programme: int | None = None

    @property
    def kw(self) -> dict:
        return {"edition": self.edition, "programme": self.programme}

    def filters(self, path: str = "edition__") -> dict:
        """The list filters of this scope, for a list whose rows reach the edition by ``path``
        (``""`` for the list of editions)."""
        if self.edition:
            return {f"{path}id__exact": self.edition}
        if self.programme:
            return {f"{path}programme__id__exact": self.programme}
        return {}


def cell(value, url: str = "", *, money: bool = False) -> dict:
    text = format_amount(value) if money else str(value)
    return {"text": text, "url": url, "number": True, "money": money}


def label(text) -> dict:
    return {"text": str(text), "url": "", "number": False}


def section(key, title, headers, rows, chart=None, note="") -> dict:
    return {
        "key": key,
        "title": title,
        "headers": headers,
        "rows": rows,
        "chart": chart,
        "note": note,
    }


def applications_section(scope: Scope):
    counts = grants_figures.application_counts(**scope.kw)
    statuses = [status for status in ApplicationStatus if counts.get(status.value)]
    url = {
        status: changelist("grants_application", status__exact=status.value, **scope.filters())
        for status in statuses
    }
    title = _("Applications by status")
    rows = [[label(status.label), cell(counts[status.value], url[status])] for status in statuses]
    total = sum(counts.values())
    rows.append(
        [
            label(_("Total")),
            cell(total, changelist("grants_application", **scope.filters())),
        ]
    )
    chart = (
        bar_chart(
            title,
            [str(status.label) for status in statuses],
            [(_("Applications"), [Bar(counts[s.value], url[s]) for s in statuses])],
        )
        if statuses
        else None  # a programme of small grants only: no empty chart
    )
    return section("applications", title, [_("Status"), _("Applications")], rows, chart)


def reviews_section(scope: Scope):
    progress = grants_figures.review_progress(**scope.kw)
    title = _("Review progress per reviewer")
    states = [
        ("done", _("Done"), "done"),
        ("outstanding", _("Outstanding"), "outstanding"),
        ("overdue", _("Overdue"), "overdue"),
        ("conflicts", _("Conflicts declared"), "conflict"),
    ]

    def link(row, state):
        return changelist(
            "grants_reviewassignment",
            reviewer__id__exact=row["reviewer"],
            review_state=state,
            **scope.filters("application__edition__"),
        )

    rows = [
        [
            label(row["name"]),
            cell(
                row["assigned"],
                changelist(
                    "grants_reviewassignment",
                    reviewer__id__exact=row["reviewer"],
                    **scope.filters("application__edition__"),
                ),
            ),
            *[cell(row[key], link(row, state)) for key, _name, state in states],
        ]
        for row in progress
    ]
    chart = (
        bar_chart(
            title,
            [row["name"] for row in progress],
            [
                (name, [Bar(row[key], link(row, state)) for row in progress])
                for key, name, state in states[:3]
            ],
        )
        if progress
        else None
    )
    note = _("A review is overdue %(days)s days after it was assigned.") % {
        "days": settings.REVIEW_DUE_DAYS
    }
    headers = [_("Reviewer"), _("Assigned"), *[name for _key, name, _state in states]]
    return section("reviews", title, headers, rows, chart, note)


def money_sections(scope: Scope):
    by_currency = grants_figures.money_by_currency(**scope.kw)
    title = _("Money by currency")
    columns = [
        ("awarded", _("Awarded"), None),
        ("paid", _("Paid"), DisbursementStatus.PAID),
        ("payable", _("Payable"), DisbursementStatus.PAYABLE),
        ("planned", _("Planned"), DisbursementStatus.PLANNED),
    ]

    def link(currency, status):
        if status is None:
            return changelist("grants_initiative", currency__exact=currency, **scope.filters())
        return changelist(
            "grants_disbursement",
            currency__exact=currency,
            status__exact=status.value,
            **scope.filters("initiative__edition__"),
        )

    rows = [
        [
            label(row["currency"]),
            *[
                cell(row[key], link(row["currency"], status), money=True)
                for key, _n, status in columns
            ],
        ]
        for row in by_currency
    ]
    charts = []
    for row in by_currency:
        charts.append(
            bar_chart(
                f"{title} — {row['currency']}",
                [str(name) for _key, name, _status in columns],
                [
                    (
                        row["currency"],
                        [
                            Bar(row[key], link(row["currency"], status))
                            for key, _name, status in columns
                        ],
                    )
                ],
            )
        )
    money = section(
        "money",
        title,
        [_("Currency"), *[name for _key, name, _status in columns]],
        rows,
        chart=charts[0] if len(charts) == 1 else None,
    )
    money["charts"] = charts if len(charts) > 1 else []

    sent = grants_figures.paid_as_sent(**scope.kw)
    sent_rows = [
        [
            label(row["currency"]),
            label(row["sent_currency"] or "—"),
            cell(
                row["tranches"],
                changelist(
                    "grants_disbursement",
                    status__exact=DisbursementStatus.PAID.value,
                    currency__exact=row["currency"],
                    sent_currency__exact=row["sent_currency"],
                    **scope.filters("initiative__edition__"),
                ),
            ),
            cell(row["share"], money=True),
            cell(row["converted"], money=True),
            cell(row["sent"], money=True),
            cell(row["fees"], money=True),
        ]
        for row in sent
    ]
    paid = section(
        "paid",
        _("Paid, converted at the recorded rates"),
        [
            _("Grant currency"),
            _("Currency sent"),
            _("Tranches"),
            _("Amount (grant currency)"),
            _("Converted at the recorded rate"),
            _("Amount sent"),
            _("Fees"),
        ],
        sent_rows,
        note=_(
            "Each payment records the rate used: units of the currency sent for one unit of "
            "the grant's currency."
        ),
    )

    received = grants_figures.received_differences(**scope.kw)
    received_rows = [
        [
            label(row["sent_currency"] or "—"),
            label(row["received_currency"] or "—"),
            cell(
                row["confirmed"],
                changelist(
                    "grants_disbursement",
                    received_confirmed_at__isnull="False",
                    sent_currency__exact=row["sent_currency"],
                    received_currency__exact=row["received_currency"],
                    **scope.filters("initiative__edition__"),
                ),
            ),
            cell(
                row["differing"],
                changelist(
                    "grants_disbursement",
                    has_received_difference__exact=1,
                    received_confirmed_at__isnull="False",
                    sent_currency__exact=row["sent_currency"],
                    received_currency__exact=row["received_currency"],
                    **scope.filters("initiative__edition__"),
                ),
            ),
            cell(row["sent"], money=True),
            cell(row["received"], money=True),
            cell(row["received"] - row["sent"], money=True),
        ]
        for row in received["rows"]
    ]
    differences = section(
        "received",
        _("Amounts received"),
        [
            _("Currency sent"),
            _("Currency received"),
            _("Receipts confirmed"),
            _("Differing"),
            _("Sent"),
            _("Received"),
            _("Difference"),
        ],
        received_rows,
        note=_("What the grantees confirmed they received, against what was sent."),
    )
    return [money, paid, differences]


LIGHT = "grants_lightapplication"


def light_sections(scope: Scope):
    """The light track's small grants: applications by status, and their money by currency.

    Their money is a table of its own rather than added into the full track's: a small grant
    is approved and paid once, in one payment file, where a full grant is awarded and paid in
    tranches; each figure leads to the one list it counts (the small grants, or the
    initiatives and their tranches), and the two tables side by side give the per-track
    breakdown a sum would hide."""
    counts = grants_figures.light_counts(**scope.kw)
    statuses = [status for status in LightStatus if counts.get(status.value)]
    url = {
        status: changelist(LIGHT, status__exact=status.value, **scope.filters())
        for status in statuses
    }
    title = _("Small grants (light track): applications by status")
    rows = [[label(status.label), cell(counts[status.value], url[status])] for status in statuses]
    rows.append(
        [label(_("Total")), cell(sum(counts.values()), changelist(LIGHT, **scope.filters()))]
    )
    chart = (
        bar_chart(
            title,
            [str(status.label) for status in statuses],
            [(_("Applications"), [Bar(counts[s.value], url[s]) for s in statuses])],
        )
        if statuses
        else None
    )
    applications = section("light", title, [_("Status"), _("Applications")], rows, chart)

    money_title = _("Small grants (light track): money by currency")
    columns = [
        ("approved", _("Approved"), None),
        ("paid", _("Paid"), LightPaymentStatus.PAID),
        ("in_file", _("In a payment file"), LightPaymentStatus.IN_FILE),
        ("payable", _("Payable"), LightPaymentStatus.PAYABLE),
    ]

    def link(currency, payment):
        return changelist(
            LIGHT,
            status__exact=LightStatus.APPROVED.value,
            currency__exact=currency,
            payment_status__exact=payment.value if payment else None,
            **scope.filters(),
        )

    by_currency = grants_figures.light_money_by_currency(**scope.kw)
    money_rows = [
        [
            label(row["currency"]),
            *[
                cell(row[key], link(row["currency"], payment), money=True)
                for key, _n, payment in columns
            ],
        ]
        for row in by_currency
    ]
    money = section(
        "light-money",
        money_title,
        [_("Currency"), *[name for _key, name, _payment in columns]],
        money_rows,
        note=_(
            "Approved small grants, each paid once; counted apart from the full track's "
            "awarded grants and tranches above."
        ),
    )
    return [applications, money]


def waiting_section(scope: Scope, today):
    reports = report_counts(today=today, **scope.kw)
    others = waiting_for_the_secretariat()
    light = grants_figures.light_waiting(today=today, **scope.kw)
    report_list = scope.filters("initiative__edition__")
    items = [
        (
            _("Reports due within 14 days"),
            reports["due_soon"],
            changelist("reports_report", overdue="soon", **report_list),
        ),
        (
            _("Reports overdue"),
            reports["overdue"],
            changelist("reports_report", overdue="yes", **report_list),
        ),
        (
            _("Reports submitted, waiting for review"),
            reports["submitted"],
            changelist("reports_report", status__exact="submitted", **report_list),
        ),
        (
            _("Workplans waiting for review"),
            grants_figures.workplans_waiting(**scope.kw),
            changelist("grants_initiative", workplan_status__exact="submitted", **scope.filters()),
        ),
        (
            _("Small-grant applications waiting for a decision"),
            light["received"],
            changelist(LIGHT, status__exact=LightStatus.RECEIVED.value, **scope.filters()),
        ),
        (
            _("Small-grant reports due within 14 days"),
            light["due_soon"],
            changelist(LIGHT, report_due="soon", **scope.filters()),
        ),
        (
            _("Small-grant reports overdue"),
            light["overdue"],
            changelist(LIGHT, report_due="overdue", **scope.filters()),
        ),
        (
            _("Small-grant reports waiting for review"),
            light["submitted"],
            changelist(LIGHT, report_status__exact="submitted", **scope.filters()),
        ),
        (
            _("Bank details waiting for verification"),
            others["bank_details"],
            changelist("organisations_payeedetails", current__verified_at__isempty=1),
        ),
        (
            _("Changes to public profiles waiting for approval"),
            others["public_changes"],
            changelist("organisations_publicprofilechange", status="pending"),
        ),
        (
            _("Notifications that failed"),
            failed_count(),
            changelist("notifications_notification", status__exact="failed"),
        ),
    ]
    title = _("Waiting for the secretariat")
    rows = [[label(name), cell(count, url)] for name, count, url in items]
    chart = bar_chart(
        title,
        [str(name) for name, _count, _url in items],
        [(_("Waiting"), [Bar(count, url) for _name, count, url in items])],
    )
    return section(
        "waiting",
        title,
        [_("What"), _("How many")],
        rows,
        chart,
        note=_("Bank details, public profiles and notifications are counted across editions."),
    )


def translations_section(scope: Scope):
    gaps = grants_figures.translation_gaps(**scope.kw)
    languages = list(settings.LANGUAGES)
    kinds = [
        (
            "edition",
            _("Editions"),
            lambda code: changelist(
                "programme_edition",
                is_published__exact=1,
                missing_translation=code,
                **scope.filters(""),
            ),
        ),
        (
            "initiative",
            _("Initiatives"),
            lambda code: changelist(
                "grants_initiative",
                is_published__exact=1,
                edition__is_published__exact=1,
                missing_translation=code,
                **scope.filters(),
            ),
        ),
        (
            "organisation",
            _("Organisations"),
            lambda code: changelist(
                "organisations_organisation", public="yes", missing_translation=code
            ),
        ),
    ]
    title = _("Translations missing from published content")
    rows = [
        [label(name), *[cell(gaps[key][code], link(code)) for code, _lang in languages]]
        for key, name, link in kinds
    ]
    chart = bar_chart(
        title,
        [str(name) for _code, name in languages],
        [
            (name, [Bar(gaps[key][code], link(code)) for code, _lang in languages])
            for key, name, link in kinds
        ],
        horizontal=False,
    )
    return section(
        "translations",
        title,
        [_("Published"), *[name for _code, name in languages]],
        rows,
        chart,
        note=_(
            "A text counts as missing where it is written in its original language but not in "
            "this one. Organisations: those with a public page, across editions."
        ),
    )


def dashboard_context(edition: int | None, programme: int | None = None) -> dict:
    today = timezone.localdate()
    scope = Scope(edition=edition, programme=programme)
    return {
        "sections": [
            applications_section(scope),
            reviews_section(scope),
            *money_sections(scope),
            *light_sections(scope),
            waiting_section(scope, today),
            translations_section(scope),
        ],
        "today": today,
    }


def figures_html(edition: int | None, programme: int | None = None) -> str:
    """The sections' HTML: the same for every member of the secretariat, kept in the cache
    (``secretariat.dashboard_cache``) under the language, the programme, the edition and the
    day."""
    key = (
        f"{get_language()}:{programme or 'all'}:{edition or 'all'}:"
        f"{timezone.localdate().isoformat()}"
    )
    return cached_figures(
        key,
        lambda: render_to_string(
            "secretariat/includes/dashboard_sections.html",
            dashboard_context(edition, programme),
        ),
    )


@secretariat_required
def dashboard(request):
    """One programme (``?programme=<id>``), one edition (``?edition=<id>``, among the
    programme's when one is chosen) or everything; a fixed number of queries."""
    programmes = list(Programme.objects.order_by("pk"))
    chosen = request.GET.get("programme", "")
    programme = next((p for p in programmes if str(p.pk) == chosen), None)
    editions = Edition.objects.select_related("programme").order_by("-year", "-number")
    if programme:
        editions = editions.filter(programme=programme)
    editions = list(editions)
    chosen = request.GET.get("edition", "")
    edition = next((e for e in editions if str(e.pk) == chosen), None)
    return back_office_page(
        request,
        "secretariat/dashboard.html",
        _("Dashboard"),
        opts=None,
        programmes=programmes,
        programme=programme,
        editions=editions,
        edition=edition,
        sections_html=mark_safe(  # noqa: S308 (our own template's output)
            figures_html(edition.pk if edition else None, programme.pk if programme else None)
        ),
    )
