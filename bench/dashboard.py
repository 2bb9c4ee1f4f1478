"""The secretariat's dashboard, in-process: CPU time per request and each query's SQL time.

    .venv/bin/python bench/dashboard.py                 # the scale-1 data set (bench_1)
    BENCH_DATABASE=bench_10 .venv/bin/python bench/dashboard.py --repeat 30
    .venv/bin/python bench/dashboard.py --explain       # EXPLAIN ANALYZE of each query

On a shared machine the wall time of a page is mostly waiting for a core; what the page costs
is read here instead: the CPU time of this process per request (``time.process_time``, the
Django test client, signed in as the benchmark's secretariat member, the harness's settings)
and the time PostgreSQL spends on each query (``EXPLAIN (ANALYZE)``, its own clock). The
database is the harness's (``bench/harness.py --scale 1`` makes it; ``BENCH_DATABASE`` names
another). Each page is measured with the cache empty first (``cold``: figures read and charts
drawn) and then as it usually is (``warm``: the figures' HTML cached, see
``secretariat.dashboard_cache``; ``--uncached`` reads and renders them for each request, the
charts still cached): every edition and one edition. Prints p50 and p95 of the CPU time, the
queries per request and, with ``--explain``, the plan's time of each query, slowest first
(``--uncached --explain`` for the figures' queries); ``--profile`` adds cProfile's view of
the CPU time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true", help="where the warm CPU time goes")
    parser.add_argument(
        "--uncached", action="store_true", help="figures read and drawn for each request"
    )
    args = parser.parse_args()

    from bench.harness import database_name, environment

    os.environ.update(environment(args.scale))  # the cache: BENCH_REDIS_URL, as the harness
    os.environ.pop("BENCH_COUNT_QUERIES", None)
    if args.uncached:
        os.environ["DASHBOARD_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.dataset import persona_sessions
    from programme.models import Edition

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the pages use
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = persona_sessions()["secretariat"]
    edition = Edition.objects.order_by("-year", "-number").values_list("pk", flat=True).first()
    pages = {
        "every edition": "/en/secretariat/dashboard/",
        "one edition": f"/en/secretariat/dashboard/?edition={edition}",
    }
    print(f"database {database_name(args.scale)}, {args.repeat} requests per page")
    for name, path in pages.items():
        cold = []
        for _ in range(max(3, args.repeat // 5)):
            cache.clear()
            started = time.process_time()
            response = client.get(path)
            cold.append(time.process_time() - started)
        assert response.status_code == 200, response.status_code
        warm = []
        for _ in range(args.repeat):
            started = time.process_time()
            client.get(path)
            warm.append(time.process_time() - started)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time)  # CPU, not the wait
            profiler.enable()
            for _ in range(args.repeat):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"{name:14} warm CPU p50 {statistics.median(warm) * 1000:6.1f} ms, "
            f"p95 {percentile(warm, 0.95) * 1000:6.1f} ms; cold CPU p50 "
            f"{statistics.median(cold) * 1000:6.1f} ms; {len(queries)} queries "
            f"({sql_ms:.1f} ms as the client waited); {len(response.content) / 1024:.0f} KiB"
        )
        if args.explain:
            plans = []
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = plan[0] if isinstance(plan, list) else plan
                    plans.append((plan["Execution Time"], plan["Planning Time"], sql))
            total = sum(p[0] + p[1] for p in plans)
            print(f"  SQL (EXPLAIN ANALYZE, planning + execution): {total:.1f} ms in all")
            for execution, planning, sql in sorted(plans, reverse=True):
                print(f"  {execution:7.2f} + {planning:5.2f} ms  {sql[:150]}")


if __name__ == "__main__":
    main()
