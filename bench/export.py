"""The XLSX export of a large list: 50,000 reports, time and peak memory.

    .venv/bin/python bench/export.py                  # 50,000 reports, XLSX
    .venv/bin/python bench/export.py --reports 20000 --format csv

It uses the benchmark's database of scale 1 (``BENCH_DATABASE``, default ``bench_1``; made and
filled by ``bench/harness.py --scale 1`` or here when it is empty), adds reports to the
initiatives until there are ``--reports`` of them (kept for the next run), then writes the
export of the back office's report list, unfiltered, as the secretariat member — the same code
the worker runs (``core.exports.write_export`` over the list's ``ChangeList``) — to a temporary
file. It prints the time, the peak memory of the process (RSS) and its growth over the memory
before the export, and the file's size. Targets (issue 12): under 30 s and 200 MiB.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    """The process's current resident memory (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def top_up(total: int) -> None:
    """Add scheduled reports (the fields a report list shows), after the initiatives' own
    reports, until there are ``total``."""
    from grants.models import Initiative
    from reports.models import Report

    missing = total - Report.objects.count()
    if missing <= 0:
        return
    initiatives = list(Initiative.objects.order_by("pk").values_list("pk", "period_start"))
    rows = []
    for n in range(missing):
        pk, start = initiatives[n % len(initiatives)]
        begins = start + datetime.timedelta(days=5000 + 7 * (n // len(initiatives)))
        rows.append(
            Report(
                initiative_id=pk,
                kind="interim",
                period_start=begins,
                period_end=begins + datetime.timedelta(days=6),
                due_on=begins + datetime.timedelta(days=30),
                status="scheduled",
                language="en",
            )
        )
    Report.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    name = os.environ.get("BENCH_DATABASE") or "bench_1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "results" / "media-1x"))
    os.environ.setdefault("EMAIL_BACKEND", "memory")
    import django

    from bench.harness import prepare_database

    os.environ["BENCH_DATABASE"] = name
    prepare_database(1, fresh=False)
    django.setup()
    from django.contrib.admin import site
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpRequest, QueryDict
    from django.utils import translation

    from bench import dataset
    from core.exports import changelist_queryset, write_export
    from organisations.models import User
    from reports.models import Report

    if not args.measure:
        # Prepare, then measure in a process of its own: its peak memory is the export's.
        call_command("migrate", verbosity=0)
        if not User.objects.filter(email="secretariat@bench.example").exists():
            dataset.generate(1)
        top_up(args.reports)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()
        command = [sys.executable, __file__, "--measure", "--format", args.format]
        # BENCH_PROFILE=1 prints where the time goes (cProfile; slower).
        subprocess.run(command, env=os.environ, check=True)
        return
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict("")
    request.user = User.objects.get(email="secretariat@bench.example")
    model_admin = site._registry[Report]
    connection.close()  # the export opens its own, as the worker's task would

    before = rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    if profiler:
        profiler.enable()
    with translation.override("en"), tempfile.TemporaryFile() as handle:
        queryset = changelist_queryset(model_admin, request)
        rows = write_export(handle, args.format, model_admin, queryset, "Reports")
        size = handle.tell()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    peak = peak_rss_mib()
    print(
        f"{rows} reports as {args.format.upper()}: {seconds:.1f} s ({cpu:.1f} s of CPU), "
        f"peak RSS {peak:.0f} MiB ({peak - before:+.0f} MiB over the {before:.0f} MiB before), "
        f"file {size / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
