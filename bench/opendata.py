"""Benchmark of the open-data files: time and peak memory of writing the 360Giving JSON and the
IATI XML for many published grants (and, with --flatten, the CSV and XLSX).

Seeds its own PostgreSQL database (BENCH_OPENDATA_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/grants_bench_opendata) with --grants published grants
(translated titles and summaries, two countries and two themes each, a paid tranche for every
other grant, one organisation in ten at risk), then writes each file in a fresh process and
reports its wall time and the process's peak resident memory (and, for comparison, the same
process's memory before writing: Django and the app loaded). Figures are printed and written
to bench/results/opendata.json. It asserts nothing: speed is read, not tested.

    .venv/bin/python bench/opendata.py [--grants 100000] [--flatten]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_OPENDATA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grants_bench_opendata"
)

SEED = """
import datetime, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
call_command("migrate", verbosity=0)
from grants.models import Disbursement, Initiative
from grants.workflow import DisbursementStatus
from organisations.models import Organisation
from programme.models import Edition, EditionFunder, Funder, Programme, Theme, ThemeSector


def insert_series(model, count, expressions):
    # INSERT … SELECT … FROM generate_series: PostgreSQL makes the rows itself, no Python
    # object per row. ``expressions`` gives SQL (of the row number ``n``) for some columns;
    # every other column gets its field's default (or now() for created/updated times).
    columns, values, params = [], [], []
    now = timezone.now()
    for field in model._meta.local_concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in expressions or field.column in expressions:
            values.append(expressions.get(field.name) or expressions[field.column])
            continue
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = now if stamped else field.get_default()
        values.append("%s")
        params.append(field.get_db_prep_save(default, connection))
    sql = (
        f"INSERT INTO {{connection.ops.quote_name(model._meta.db_table)}} ({{', '.join(columns)}}) "
        f"SELECT {{', '.join(values)}} FROM generate_series(0, {{count - 1}}) AS n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


wanted = {grants}
have = Initiative.objects.count()
if have != wanted:
    with transaction.atomic():
        Disbursement.objects.all().delete()
        Initiative.themes.through.objects.all().delete()
        Initiative.objects.all().delete()
        Organisation.objects.all().delete()
        EditionFunder.objects.all().delete()
        Edition.objects.all().delete()
        programme, _ = Programme.objects.get_or_create(
            slug="bench", defaults={{"name_en": "Bench"}}
        )
        funder, _ = Funder.objects.get_or_create(name="Bench Foundation", identifier="GB-CHC-1")
        themes = []
        for number in range(8):
            theme, _ = Theme.objects.get_or_create(
                slug=f"theme-{{number}}",
                defaults={{"name_en": f"Theme {{number}}", "name_fr": f"Thème {{number}}"}},
            )
            ThemeSector.objects.get_or_create(theme=theme, code=f"1516{{number}}")
            themes.append(theme)
        editions = []
        for number in range(20):
            year = 2000 + number
            edition = Edition.objects.create(
                programme=programme, number=number + 1, year=year, slug=str(year),
                title_en=f"Edition {{year}}", title_fr=f"Édition {{year}}",
                period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
                is_published=True,
            )
            EditionFunder.objects.create(edition=edition, funder=funder)
            editions.append(edition)
        first_edition = editions[0].pk
        # Editions have consecutive ids here (created one after the other just now).
        assert [e.pk for e in editions] == list(range(first_edition, first_edition + 20))
        insert_series(Organisation, wanted // 4 + 1, {{
            "name": "'Organisation ' || n", "slug": "'organisation-' || n", "country": "'BO'",
            "city": "'La Paz'", "website": "'https://example.org'", "is_at_risk": "mod(n, 10) = 0",
        }})
        first_organisation = Organisation.objects.order_by("pk").values_list("pk", flat=True)[0]
        # The search index's trigger (public.models) would spend minutes on 100,000 rows of
        # texts in five languages: the files do not read it, so it sleeps while seeding.
        table = Initiative._meta.db_table
        with connection.cursor() as cursor:
            # PostgreSQL alters no table with pending trigger events: the deferred foreign
            # keys of the rows deleted above are checked now (and again after the inserts).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {{table}} DISABLE TRIGGER public_initiative_search")
        summary_en = "A summary of what the initiative does, in a sentence or two. " * 3
        summary_fr = "Un résumé de ce que fait l'initiative, en une phrase ou deux. " * 3
        year = "(2000 + mod(n, 20))"
        insert_series(Initiative, wanted, {{
            "edition_id": f"{{first_edition}} + mod(n, 20)",
            "lead_organisation_id": f"{{first_organisation}} + n / 4",
            "slug": "'i-' || n",
            "title_en": "'Initiative number ' || n", "title_fr": "'Initiative numéro ' || n",
            "summary_en": f"'{{summary_en}}'",
            "summary_fr": "'" + summary_fr.replace("'", "''") + "'",
            "countries": "'BO,PE'", "amount_awarded": "5000.00", "currency": "'USD'",
            "awarded_on": f"make_date({{year}}, 1, 1)",
            "period_start": f"make_date({{year}}, 1, 1)",
            "period_end": f"make_date({{year}}, 12, 31)", "is_published": "true",
            "order": "n / 20",  # its place on the edition page (a smallint)
        }})
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {{table}} ENABLE TRIGGER public_initiative_search")
        through = Initiative.themes.through._meta.db_table
        theme_ids = "ARRAY[" + ",".join(str(t.pk) for t in themes) + "]"
        paid = Disbursement._meta.db_table
        with connection.cursor() as cursor:
            # Two themes each; a paid tranche of half the grant for every other grant.
            cursor.execute(
                f"INSERT INTO {{through}} (initiative_id, theme_id) "
                f"SELECT i.id, ({{theme_ids}})[1 + mod(row_number + k, 8)::int] FROM "
                f"(SELECT id, row_number() OVER (ORDER BY id) - 1 AS row_number FROM {{table}}) i "
                f"CROSS JOIN (VALUES (0), (3)) AS shift(k)"
            )
        insert_series(Disbursement, wanted // 2, {{
            "initiative_id": f"(SELECT min(id) FROM {{table}}) + 2 * n",
            "tranche": "1", "amount": "2500.00", "currency": "'USD'",
            "status": f"'{{DisbursementStatus.PAID}}'", "paid_on": "DATE '2020-01-01'",
        }})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, for the rows just written
print(Initiative.objects.count())
"""

# One file, in a process of its own: wall time and peak resident memory (ru_maxrss, KiB).
WRITE = """
import io, json, resource, sys, tempfile, time, django
django.setup()
from django.db import connection
from public.opendata import iati, threesixty
connection.ensure_connection()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kind = "{kind}"
folder = tempfile.mkdtemp()
start = time.perf_counter()
cpu = time.process_time()
if kind == "360giving":
    path = folder + "/grants.json"
    with open(path, "w", encoding="utf-8") as output:
        count = threesixty.write_package(output)
elif kind == "iati":
    path = folder + "/activities.xml"
    with open(path, "wb") as output:
        count = iati.write_activities(output)
else:
    from pathlib import Path
    source = Path(folder) / "grants.json"
    with source.open("w", encoding="utf-8") as output:
        count = threesixty.write_package(output)
    start = time.perf_counter()
    cpu = time.process_time()
    threesixty.write_flattened(source, csv_zip=Path(folder) / "g.zip", xlsx=Path(folder) / "g.xlsx")
    path = folder + "/g.xlsx"
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
import os
print(json.dumps({{
    "records": count,
    "seconds": round(seconds, 2),
    # This process's CPU time (the database's is not in it): on a shared machine the wall
    # time also counts the waits for a core.
    "cpu_seconds": round(cpu, 2),
    "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "loaded_mib": round(before / 1024, 1),
    "bytes": os.path.getsize(path),
}}))
"""


def environment() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=DATABASE_URL,
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="memory",
        LOG_LEVEL="WARNING",
        # Seeding saves thousands of rows: no rebuild of the files for them.
        OPEN_DATA_REBUILD_DELAY="",
    )
    return env


def create_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[-1]
    server = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, default=100_000)
    parser.add_argument("--flatten", action="store_true", help="also time the CSV and XLSX")
    options = parser.parse_args()
    create_database()
    print(f"seeding {options.grants} grants…", flush=True)
    seeded = int(run(SEED.format(grants=options.grants)))
    figures = {"grants": seeded}
    kinds = ["360giving", "iati"] + (["flattened"] if options.flatten else [])
    for kind in kinds:
        figures[kind] = json.loads(run(WRITE.format(kind=kind)))
        print(kind, figures[kind], flush=True)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "opendata.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
