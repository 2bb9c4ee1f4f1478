"""The secretariat's dashboard: every figure equals a count or sum made directly over the rows
(in Python, on the benchmark's generated data set with payments, conflicts and failures added),
for every edition and for one; every figure's link opens a back-office list of exactly the rows
it counts; the charts load nothing and carry nothing the CSP forbids."""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from bench import dataset
from core.admin import missing_translation_languages
from core.money import format_amount
from grants.models import Application, Disbursement, Initiative, LightApplication, ReviewAssignment
from grants.services.light import light_accept_agreement, light_decide
from notifications.models import Notification
from organisations.models import Organisation, PayeeDetails, PublicProfileChange
from programme.models import Edition, Programme
from reports.models import EDITABLE_STATUSES, Report
from secretariat.charts import chart_css
from secretariat.views.dashboard import dashboard_context
from tests.factories import ProgrammeFactory
from tests.grants.factories import secretariat_user
from tests.grants.light import light_edition, many_received, reason

pytestmark = pytest.mark.django_db

URL = "/en/secretariat/dashboard/"
SMALL = {"organisations": 40, "applications": 30, "initiatives": 18, "reviewers": 6}


@pytest.fixture
def data():
    """The benchmark's data set, with what it lacks: conflicts, overdue reviews, payments in
    another currency at a recorded rate, receipts (one differing), failed emails, a missing
    edition translation."""
    dataset.generate(1, sizes=SMALL)
    now = timezone.now()
    assignments = list(ReviewAssignment.objects.order_by("pk"))
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments[:3]]).update(
        conflict="conflict"
    )
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments[3:5]]).update(is_recused=True)
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in assignments[::4]]).update(
        assigned_at=now - datetime.timedelta(days=settings.REVIEW_DUE_DAYS + 1)
    )
    euro = list(Initiative.objects.order_by("pk")[:4])
    Initiative.objects.filter(pk__in=[x.pk for x in euro]).update(currency="EUR")
    Disbursement.objects.filter(initiative__in=euro).update(currency="EUR")
    edition = euro[0].edition
    assert edition.is_published
    # The edition the test narrows to has payments in both currencies sent.
    paid = sorted(
        Disbursement.objects.filter(status="paid").select_related("initiative").order_by("pk"),
        key=lambda d: d.initiative.edition_id != edition.pk,
    )
    for n, tranche in enumerate(paid[:12]):
        rate = Decimal("0.91") if n % 2 else Decimal("1.25")
        Disbursement.objects.filter(pk=tranche.pk).update(
            sent_currency="EUR" if n % 3 else "USD",
            exchange_rate=rate,
            amount_sent=(tranche.amount * rate).quantize(Decimal("0.01")),
            fees=Decimal("12.50"),
        )
    for n, tranche in enumerate(
        Disbursement.objects.filter(amount_sent__isnull=False, initiative__edition=edition)[:6]
    ):
        received = tranche.amount_sent - (Decimal("40") if n == 0 else 0)
        Disbursement.objects.filter(pk=tranche.pk).update(
            amount_received=received,
            received_currency=tranche.sent_currency,
            received_confirmed_at=now,
            has_received_difference=n == 0,
        )
    Notification.objects.filter(pk__in=Notification.objects.order_by("pk")[:3]).update(
        status="failed"
    )
    today = timezone.localdate()
    for n, report in enumerate(Report.objects.filter(status="submitted").order_by("pk")[:8]):
        Report.objects.filter(pk=report.pk).update(
            status=("scheduled", "draft")[n % 2],  # written directly: a fixture
            due_on=today + datetime.timedelta(days=(-3, 0, 14, 15)[n % 4]),
        )
    Edition.objects.filter(pk=edition.pk).update(title_ru="", introduction_ru="")
    return {"edition": edition, "light": light_track(today)}


def light_track(today: datetime.date) -> Edition:
    """A second programme on the light track: small grants received, declined and approved
    (payable, in a payment file, paid; one in euros), with reports due soon, overdue and sent."""
    day = ProgrammeFactory(slug="global-day", name_en="Global Day of Action")
    edition = light_edition(programme=day, slug="gda-2026", number=1, year=2026)
    secretary = secretariat_user(email="light-secretary@example.org")
    ids = many_received(edition, 12)
    light_decide(ids=ids[:8], actor=secretary, approve=True)
    light_decide(ids=ids[8:10], actor=secretary, approve=False, reason=reason())
    for pk in ids[:4]:
        light_accept_agreement(application=LightApplication.objects.get(pk=pk))
    # Written directly, a fixture: payments and reports in every state the figures count.
    LightApplication.objects.filter(pk__in=ids[:2]).update(
        payment_status="paid", paid_on=today, payment_reference="BNK"
    )
    LightApplication.objects.filter(pk=ids[2]).update(payment_status="in_file")
    LightApplication.objects.filter(pk__in=[ids[1], ids[5]]).update(currency="EUR")
    for n, pk in enumerate(ids[:8]):
        LightApplication.objects.filter(pk=pk).update(
            report_status=("due", "changes_requested", "submitted", "due")[n % 4],
            report_due_on=today + datetime.timedelta(days=(-3, 0, 14, 15)[n % 4]),
        )
    return edition


def expected(edition: Edition | None, programme: Programme | None = None) -> dict:
    """Every figure, counted and summed over the rows in Python."""
    today = timezone.localdate()
    editions = {e.pk: e.programme_id for e in Edition.objects.all()}

    def of(rows, path):
        if edition is not None:
            return [row for row in rows if path(row) == edition.pk]
        if programme is not None:
            return [row for row in rows if editions[path(row)] == programme.pk]
        return list(rows)

    applications = of(Application.objects.all(), lambda a: a.edition_id)
    assignments = of(
        ReviewAssignment.objects.select_related("application", "review"),
        lambda a: a.application.edition_id,
    )
    initiatives = of(Initiative.objects.all(), lambda x: x.edition_id)
    tranches = of(
        Disbursement.objects.select_related("initiative"), lambda d: d.initiative.edition_id
    )
    reports = of(Report.objects.select_related("initiative"), lambda r: r.initiative.edition_id)
    overdue_before = timezone.now() - datetime.timedelta(days=settings.REVIEW_DUE_DAYS)

    reviewers = defaultdict(Counter)
    for a in assignments:
        done = hasattr(a, "review") and a.review.submitted_at is not None
        outstanding = not done and not a.is_recused and a.conflict != "conflict"
        counts = reviewers[a.reviewer_id]
        counts["assigned"] += 1
        counts["done"] += done
        counts["outstanding"] += outstanding
        counts["overdue"] += outstanding and a.assigned_at < overdue_before
        counts["conflicts"] += a.conflict == "conflict"

    money = defaultdict(lambda: defaultdict(Decimal))
    for x in initiatives:
        money[x.currency]["awarded"] += x.amount_awarded
    for d in tranches:
        if d.status in ("paid", "payable", "planned"):
            money[d.currency][d.status] += d.amount
    sent = defaultdict(lambda: defaultdict(Decimal))
    for d in tranches:
        if d.status == "paid":
            row = sent[(d.currency, d.sent_currency)]
            row["tranches"] += 1
            row["share"] += d.amount
            row["converted"] += d.amount * d.exchange_rate if d.exchange_rate else 0
            row["sent"] += d.amount_sent or 0
            row["fees"] += d.fees or 0
    received = defaultdict(lambda: defaultdict(Decimal))
    for d in tranches:
        if d.received_confirmed_at:
            row = received[(d.sent_currency, d.received_currency)]
            row["confirmed"] += 1
            row["differing"] += d.has_received_difference
            row["sent"] += d.amount_sent or 0
            row["received"] += d.amount_received or 0

    small = of(LightApplication.objects.all(), lambda a: a.edition_id)
    small_money = defaultdict(lambda: defaultdict(Decimal))
    for a in small:
        if a.status == "approved":
            small_money[a.currency]["approved"] += a.amount
            if a.payment_status in ("paid", "in_file", "payable"):
                small_money[a.currency][a.payment_status] += a.amount
    soon = today + datetime.timedelta(days=14)
    small_open = [a for a in small if a.report_status in ("due", "changes_requested")]
    editable = [r for r in reports if r.status in EDITABLE_STATUSES]
    published_editions = of((e for e in Edition.objects.filter(is_published=True)), lambda e: e.pk)
    published = [
        x
        for x in Initiative.objects.select_related("edition")
        if x.is_published and x.edition.is_published
    ]
    public_organisations = Organisation.objects.filter(
        pk__in={x.lead_organisation_id for x in published}
    )
    published = of(published, lambda x: x.edition_id)
    languages = [code for code, _name in settings.LANGUAGES]
    gaps = {
        kind: {
            code: sum(code in missing_translation_languages(row) for row in rows)
            for code in languages
        }
        for kind, rows in (
            ("edition", published_editions),
            ("initiative", published),
            ("organisation", list(public_organisations)),
        )
    }
    return {
        "applications": Counter(a.status for a in applications),
        "reviewers": {k: dict(v) for k, v in reviewers.items()},
        "money": {k: dict(v) for k, v in money.items()},
        "sent": {k: dict(v) for k, v in sent.items()},
        "received": {k: dict(v) for k, v in received.items()},
        "reports": {
            "due_soon": sum(today <= r.due_on <= soon for r in editable),
            "overdue": sum(r.due_on < today for r in editable),
            "submitted": sum(r.status == "submitted" for r in reports),
        },
        "workplans": sum(x.workplan_status == "submitted" for x in initiatives),
        "small": Counter(a.status for a in small),
        "small_money": {k: dict(v) for k, v in small_money.items()},
        "small_waiting": {
            "received": sum(a.status == "received" for a in small),
            "due_soon": sum(today <= a.report_due_on <= soon for a in small_open),
            "overdue": sum(a.report_due_on < today for a in small_open),
            "submitted": sum(a.report_status == "submitted" for a in small),
        },
        "bank_details": sum(
            p.current is not None and p.current.verified_at is None
            for p in PayeeDetails.objects.select_related("current")
        ),
        "public_changes": sum(c.status == "pending" for c in PublicProfileChange.objects.all()),
        "failed": sum(n.status == "failed" for n in Notification.objects.all()),
        "gaps": gaps,
    }


@pytest.mark.parametrize(
    "scope", ["all", "edition", "light edition", "programme", "light programme"]
)
def test_every_figure_equals_a_direct_count_over_the_rows(data, scope):
    from grants.selectors import dashboard as figures
    from notifications.selectors import failed_count
    from organisations.selectors import waiting_for_the_secretariat
    from reports.selectors import report_counts

    edition = {"edition": data["edition"], "light edition": data["light"]}.get(scope)
    programme = {
        "programme": data["edition"].programme,
        "light programme": data["light"].programme,
    }.get(scope)
    one_edition = scope != "all"
    pk = edition.pk if edition else None
    kw = {"edition": pk, "programme": programme.pk if programme else None}
    want = expected(edition, programme)
    # The data set has something in every figure this test checks.
    if scope in ("all", "edition", "programme"):
        assert want["sent"] and want["received"] and want["failed"]
    assert want["reports"]["overdue"] or one_edition
    assert any(r["conflicts"] for r in want["reviewers"].values()) or one_edition
    if scope in ("all", "light edition", "light programme"):
        assert len(want["small"]) == 3 and len(want["small_money"]) == 2
        assert all(want["small_waiting"].values())
    else:
        assert not want["small"] and not want["small_money"]

    assert figures.light_counts(**kw) == dict(want["small"])
    assert {
        row["currency"]: {k: row[k] for k in figures.LIGHT_MONEY if row[k]}
        for row in figures.light_money_by_currency(**kw)
    } == want["small_money"]
    assert figures.light_waiting(today=timezone.localdate(), **kw) == want["small_waiting"]
    pk = kw  # every figure below takes the same scope
    assert figures.application_counts(**pk) == dict(want["applications"])
    progress = {
        row["reviewer"]: {k: row[k] for k in figures.PROGRESS}
        for row in figures.review_progress(**pk)
    }
    assert progress == want["reviewers"]
    money = {
        row["currency"]: {k: row[k] for k in ("awarded", "paid", "payable", "planned")}
        for row in figures.money_by_currency(**pk)
    }
    assert money == {
        currency: {k: values.get(k, Decimal(0)) for k in ("awarded", "paid", "payable", "planned")}
        for currency, values in want["money"].items()
    }
    assert {
        (row["currency"], row["sent_currency"]): {
            k: row[k] for k in ("tranches", "share", "converted", "sent", "fees")
        }
        for row in figures.paid_as_sent(**pk)
    } == want["sent"]
    received = figures.received_differences(**pk)
    assert {
        (row["sent_currency"], row["received_currency"]): {
            k: row[k] for k in ("confirmed", "differing", "sent", "received")
        }
        for row in received["rows"]
    } == want["received"]
    assert report_counts(today=timezone.localdate(), **pk) == want["reports"]
    assert figures.workplans_waiting(**pk) == want["workplans"]
    assert waiting_for_the_secretariat() == {
        "bank_details": want["bank_details"],
        "public_changes": want["public_changes"],
    }
    assert failed_count() == want["failed"]
    assert figures.translation_gaps(**pk) == want["gaps"]
    if scope == "edition":
        assert want["gaps"]["edition"]["ru"] == 1


def admin_client() -> Client:
    """The benchmark's secretariat member, signed in and past the second factor."""
    client = Client()
    client.cookies["sessionid"] = dataset.persona_sessions()["secretariat"]
    return client


def test_every_link_opens_the_list_of_exactly_what_it_counts(data):
    client = admin_client()
    scopes = [
        (None, None),
        (data["edition"].pk, None),
        (None, data["edition"].programme_id),
        (data["light"].pk, None),
        (None, data["light"].programme_id),
    ]
    for edition, programme in scopes:
        with translation.override("en"):
            sections = dashboard_context(edition, programme)["sections"]
        checked = 0
        for section in sections:
            for row in section["rows"]:
                for cell in row[1:]:
                    if not cell["url"]:
                        continue
                    response = client.get("/en" + cell["url"].removeprefix("/en"))
                    assert response.status_code == 200, cell["url"]
                    changelist = response.context["cl"]
                    # A filter the list did not apply would show every row: each one is in use.
                    assert "e" not in response.context["request"].GET, cell["url"]
                    if not cell["money"]:
                        assert changelist.result_count == int(cell["text"]), cell["url"]
                    else:  # an amount: the list's rows add up to it
                        model = changelist.model
                        field = "amount_awarded" if model is Initiative else "amount"
                        total = sum(getattr(row, field) for row in changelist.queryset)
                        with translation.override("en"):
                            assert format_amount(total) == cell["text"], cell["url"]
                    checked += 1
        light = edition == data["light"].pk or programme == data["light"].programme_id
        assert checked > (25 if light else 40)


def test_the_page_shows_charts_with_tables_and_loads_nothing_from_elsewhere(data):
    client = admin_client()
    response = client.get(URL + f"?edition={data['edition'].pk}")
    assert response.status_code == 200
    html = response.content.decode()
    charts = re.findall(r"<svg role=\"img\".*?</svg>", html, flags=re.S)
    assert len(charts) >= 5
    for svg in charts:
        assert 'role="img"' in svg and "<title>" in svg
        assert not re.search(r"<script|<style|style=|target=|https?://(?!www\.w3\.org)", svg)
        assert 'xlink:href="/en/admin/' in svg
    assert html.count("<table") >= len(charts)
    assert f'<option value="{data["edition"].pk}" selected>' in html


def test_the_chart_style_sheet_is_the_one_pygal_writes():
    path = Path(settings.BASE_DIR) / "static" / "css" / "charts.css"
    assert path.read_text() == chart_css()


def test_only_the_secretariat_reaches_it(client, django_user_model):
    assert client.get(URL).status_code == 302
    someone = django_user_model.objects.create_user(email="a@example.org", password="x" * 20)
    client.force_login(someone)
    assert client.get(URL).status_code == 404
    someone.is_staff = True  # staff, but not of the secretariat (a reviewer…)
    someone.save()
    client.force_login(someone)
    assert client.get(URL).status_code == 404


def test_missing_translation_filter_agrees_with_the_column(data):
    """The list filter (a database condition) and the changelist's column (read in Python)
    name the same rows, for every language."""
    from core.admin import missing_translation_q

    for model in (Edition, Initiative, Organisation):
        rows = list(model.objects.all())
        for code, _name in settings.LANGUAGES:
            want = {row.pk for row in rows if code in missing_translation_languages(row)}
            got = set(
                model.objects.filter(missing_translation_q(model, code)).values_list(
                    "pk", flat=True
                )
            )
            assert got == want, (model, code)
    assert build_localized_fieldname("title", "ru") == "title_ru"


def page_queries(client, query: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(URL + query)  # what a process caches once (content types…) is cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL + query)
    assert response.status_code == 200
    return len(queries)


def test_the_programme_chooser_narrows_the_editions_and_queries_stay_flat(data):
    """With a programme chosen the edition chooser offers its editions only; the page makes as
    many queries with ten times the small grants, for every scope."""
    client = admin_client()
    light = data["light"]
    html = client.get(URL + f"?programme={light.programme_id}").content.decode()
    assert f'<option value="{light.programme_id}" selected>' in html
    assert f'<option value="{light.pk}">' in html
    assert f'<option value="{data["edition"].pk}">' not in html
    assert "Small grants (light track): money by currency" in html
    # An edition of another programme is not taken: the programme's figures are shown.
    other = client.get(URL + f"?programme={light.programme_id}&edition={data['edition'].pk}")
    assert other.context["edition"] is None and other.context["programme"] == light.programme

    queries = ["", f"?programme={light.programme_id}", f"?edition={light.pk}"]
    before = [page_queries(client, query) for query in queries]
    secretary = secretariat_user(email="light-secretary@example.org")
    ids = many_received(light, 100, start=12)
    light_decide(ids=ids[:60], actor=secretary, approve=True)
    LightApplication.objects.filter(pk__in=ids[:30]).update(
        payment_status="paid", paid_on=timezone.localdate(), payment_reference="BNK"
    )
    assert [page_queries(client, query) for query in queries] == before


def test_the_figures_are_drawn_once_for_everyone_and_again_after_a_change(data, settings):
    """The figures' HTML is cached (the same for every member of the secretariat, per
    language): the next request reads none of them; a change saved through the application
    shows at once; the access check still runs for each request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.selectors import failed_count

    settings.DASHBOARD_CACHE_SECONDS = 60
    client = admin_client()
    with CaptureQueriesContext(connection) as first:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(URL)
    assert len(second) < len(first) - 10
    failed = f'status__exact=failed">{failed_count()}</a>'
    assert failed in response.content.decode()

    notification = Notification.objects.exclude(status="failed").first()
    notification.status = "failed"
    notification.save()
    with CaptureQueriesContext(connection) as third:
        response = client.get(URL)
    assert len(third) == len(first)
    html = response.content.decode()
    assert failed not in html and f'status__exact=failed">{failed_count()}</a>' in html

    # Another language: its own figures (its words, its links).
    assert 'href="/fr/admin/' in client.get(URL.replace("/en/", "/fr/", 1)).content.decode()
    # Someone else, signed in but not of the secretariat: still not found.
    reviewer = Client()
    reviewer.cookies["sessionid"] = dataset.persona_sessions()["reviewer"]
    assert reviewer.get(URL).status_code == 404
