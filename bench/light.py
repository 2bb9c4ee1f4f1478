"""Benchmark of the light track's bulk steps: a light-track edition with --applications
small-grant applications (1,000 by default) received, then, for --batch of them (150), each
step the secretariat takes in one action, timed and its queries counted:

- the bulk approval (one action from the list),
- the verification of the bank details,
- the payment file (the batch made and its CSV written),
- the bank's return file read and every payment recorded.

Seeds its own PostgreSQL database (BENCH_LIGHT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/grants_bench_light); the notifications the steps record are
queued on BENCH_REDIS_URL (default redis://127.0.0.1:6379/8) and purged after each run, as a
worker would take them. The rows are written with ``bulk_create`` (a fixture of many received
applications; the tests reach statuses through the services). Each run puts the batch back to
"received" first. Prints the median of --runs and writes bench/results/light.json. Asserts
nothing: speed is read, not tested (tests/grants/test_light.py checks the query counts).

    .venv/bin/python bench/light.py [--applications 1000] [--batch 150] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_LIGHT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grants_bench_light"
)


def setup() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(count: int):
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from core.staff import SECRETARIAT, sync_staff_groups
    from grants.models import LightApplication, PaymentFileLayout
    from organisations.models import User
    from programme.models import Edition, Programme

    sync_staff_groups()
    secretary, _ = User.objects.get_or_create(
        email="bench-secretary@example.org", defaults={"is_staff": True}
    )
    secretary.groups.add(*Group.objects.filter(name=SECRETARIAT))
    programme, _ = Programme.objects.get_or_create(
        slug="gda", defaults={"name_en": "Global Day of Action"}
    )
    now = timezone.now()
    edition, _ = Edition.objects.get_or_create(
        slug="gda-bench",
        defaults={
            "programme": programme,
            "number": 1,
            "year": now.year,
            "title_en": "Global Day of Action (bench)",
            "period_start": now.date(),
            "period_end": now.date() + datetime.timedelta(days=60),
            "track": "light",
            "grant_maximum": Decimal("500"),
            "status": "call_open",
            "application_opens_at": now - datetime.timedelta(days=5),
            "application_closes_at": now + datetime.timedelta(days=30),
            "is_published": True,
        },
    )
    layout, _ = PaymentFileLayout.objects.get_or_create(
        name="Bench bank",
        defaults={
            "columns": "reference,account_holder,bank_name,account_number,swift_bic,amount,"
            "currency,country,city",
            "is_default": True,
        },
    )
    have = LightApplication.objects.filter(edition=edition).count()
    if have < count:
        countries = ["BR", "PT", "KE", "UA", "MX", "ID", "NG", "IN", "CO", "PH"]
        languages = ["en", "fr", "es", "pt", "ru"]
        with transaction.atomic():
            LightApplication.objects.bulk_create(
                LightApplication(
                    edition=edition,
                    email=f"group{n}@example.org",
                    language=languages[n % 5],
                    group_name=f"Group {n}",
                    country=countries[n % 10],
                    city=f"City {n}",
                    planned_action="A street action with music and harm reduction information.",
                    action_date=now.date() + datetime.timedelta(days=20),
                    expected_participants=40,
                    amount=Decimal("450"),
                    account_holder=f"Group {n} association",
                    bank_name="Bank",
                    account_number=f"PT50{n:021d}",
                    swift_bic="BANKPTPL",
                    status="received",
                    received_at=now,
                )
                for n in range(have, count)
            )
    return edition, secretary, layout


def reset(ids) -> None:
    from grants.models import LightApplication, LightStatusChange, PaymentBatch
    from notifications.models import Notification

    LightStatusChange.objects.filter(application_id__in=ids).delete()
    LightApplication.objects.filter(pk__in=ids).update(
        status="received",
        payment_status="none",
        report_status="not_due",
        batch=None,
        paid_on=None,
        payment_reference="",
        payee_verified_hash="",
        agreement_accepted_at=None,
    )
    PaymentBatch.objects.all().delete()
    Notification.objects.filter(kind__startswith="light_").delete()


def timed(step):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = step()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def run(edition, secretary, layout, ids) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from config.celery import app
    from core.staff import is_secretariat
    from grants.models import LightApplication
    from grants.services.light import (
        batch_rows,
        light_decide,
        light_payment_file,
        light_record_return_file,
        light_verify_payees,
        payment_file_content,
    )

    reset(ids)
    is_secretariat(secretary)
    figures = {}
    _, figures["approve"], q1 = timed(lambda: light_decide(ids=ids, actor=secretary, approve=True))
    LightApplication.objects.filter(pk__in=ids).update(agreement_accepted_at=timezone.now())
    _, figures["verify"], q2 = timed(lambda: light_verify_payees(ids=ids, actor=secretary))

    def payment_file():
        batch = light_payment_file(ids=ids, layout=layout, actor=secretary)
        return batch, payment_file_content(layout=layout, rows=batch_rows(batch))

    (batch, content), figures["payment_file"], q3 = timed(payment_file)
    lines = content.decode().splitlines()
    today = timezone.localdate().isoformat()
    out = io.StringIO()
    out.write("reference,bank_reference,paid_on,exchange_rate,fees\n")
    for line in lines[1:]:
        reference = line.split(",", 1)[0]
        out.write(f"{reference},B-{reference},{today},1,1.50\n")
    upload = SimpleUploadedFile("return.csv", out.getvalue().encode(), content_type="text/csv")
    count, figures["return_file"], q4 = timed(
        lambda: light_record_return_file(batch=batch, upload=upload, actor=secretary)
    )
    assert count == len(ids) == len(lines) - 1
    app.control.purge()
    figures["queries"] = {"approve": q1, "verify": q2, "payment_file": q3, "return_file": q4}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup()
    from grants.models import LightApplication

    edition, secretary, layout = seed(args.applications)
    ids = list(
        LightApplication.objects.filter(edition=edition)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.batch]
    )
    runs = [run(edition, secretary, layout, ids) for _ in range(args.runs)]
    steps = ("approve", "verify", "payment_file", "return_file")
    result = {
        "applications": LightApplication.objects.filter(edition=edition).count(),
        "batch": len(ids),
        "runs": args.runs,
        "median_seconds": {s: round(statistics.median(r[s] for r in runs), 3) for s in steps},
        "max_seconds": {s: round(max(r[s] for r in runs), 3) for s in steps},
        "queries": runs[-1]["queries"],
    }
    print(json.dumps(result, indent=2))
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    (folder / "light.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
