"""Settings of the benchmark's server: production's, plus what the harness reads.

``BENCH_COUNT_QUERIES=1`` (the harness sets it) counts each request's database queries into an
``X-Bench-Queries`` header (``bench.middleware``); the URLs add a trivial view to compare
with. Nothing here is used outside ``bench/``.
"""

import os

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_COUNT_QUERIES") == "1":
    MIDDLEWARE = ["bench.middleware.count_queries", *MIDDLEWARE]
