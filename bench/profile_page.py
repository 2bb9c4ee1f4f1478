"""Profile one page of the benchmark's data set with cProfile, in-process.

    .venv/bin/python bench/profile_page.py --scale 1 /en/                     # uncached
    .venv/bin/python bench/profile_page.py --scale 1 --as visitor /en/        # page cache
    .venv/bin/python bench/profile_page.py --scale 1 --as secretariat /en/admin/grants/application/

Uses the database and sessions the harness made (run ``bench/harness.py --scale N`` first),
the harness's settings, and Django's test client; the page is requested a few times first
(imports, caches), then ``--repeat`` times under the profiler. Prints the functions that took
the most time (cumulative, then own) and the queries of one request.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--as", dest="persona", default="anonymous")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    args = parser.parse_args()

    from bench.harness import ANONYMOUS_SESSION, RESULTS, environment

    os.environ.update(environment(args.scale))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = json.loads((RESULTS / f"plan-{args.scale}x.json").read_text())
    sessions = {**plan["sessions"], "anonymous": ANONYMOUS_SESSION}
    client = Client(HTTP_HOST="127.0.0.1")
    if args.persona != "visitor":  # a visitor without a cookie is served from the page cache
        client.cookies["sessionid"] = sessions[args.persona]
    for _ in range(3):
        response = client.get(args.path)
    print(f"HTTP {response.status_code}, {len(response.content)} bytes")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    print(f"{len(queries)} queries")
    if args.sql:
        for query in queries.captured_queries:
            print(f"  {query['time']}s {query['sql'][:400]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
