"""Benchmark of the public site's main pages against a trivial view served the same way.

Seeds a large data set in its own PostgreSQL database, serves the app with gunicorn (production
settings, the same workers for every page), then measures latency (p50, p95) and throughput of
each page, with the page cache cold (every request rendered) and warm (cached), next to
/robots.txt, a view that touches no database. Figures are printed and written to
bench/results/public_pages.json. It asserts nothing: speed is read, not tested.

    .venv/bin/python bench/public_pages.py [--editions 20] [--requests 200] [--concurrency 4]

Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/grants_bench).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grants_bench"
)
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASE_URL,
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="memory",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


SEED = """
import django
django.setup()
from django.core.management import call_command
from grants.models import Initiative
call_command("migrate", verbosity=0)
if not Initiative.objects.exists():
    from tests.public.test_public_site import populate
    populate({editions})
print(Initiative.objects.count())
"""


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


def get(path: str) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - started


def measure(path: str, requests: int, concurrency: int, cold: bool) -> dict:
    # Cold: a unique query string per request misses the page cache (the view ignores it).
    paths = [
        f"{path}{'&' if '?' in path else '?'}bench={n}" if cold else path for n in range(requests)
    ]
    get(paths[0] if not cold else path)  # warm the worker (and the cache for warm runs)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(get, paths))
    elapsed = time.perf_counter() - started
    return {
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
        "requests_per_s": round(requests / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=20, help="editions of 3 initiatives")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    create_database()
    seeded = subprocess.run(
        [sys.executable, "-c", SEED.format(editions=args.editions)],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    initiatives = int(seeded.stdout.strip().splitlines()[-1])
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment(STATIC_ROOT=str(ROOT / "bench" / "results" / "static")),
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(STATIC_ROOT=str(ROOT / "bench" / "results" / "static")),
    )
    try:
        for _ in range(50):
            try:
                get("/robots.txt")
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "trivial (/robots.txt)": "/robots.txt",
            "home": "/fr/",
            "editions": "/fr/editions/",
            "edition": "/fr/editions/2000/",
            "initiatives list": "/fr/initiatives/",
            "country": "/fr/countries/bo/",
            "search": "/fr/search/?q=harm",
            "sitemap.xml": "/sitemap.xml",
        }
        results = {"initiatives": initiatives, "pages": {}}
        print(
            f"{initiatives} published initiatives; {args.requests} requests per row, "
            f"{args.concurrency} at a time, {args.workers} gunicorn workers"
        )
        print(f"{'page':28} {'cache':5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
        for name, path in pages.items():
            for cold in (True, False):
                if name.startswith("trivial") and not cold:
                    continue
                figures = measure(path, args.requests, args.concurrency, cold)
                results["pages"][f"{name} ({'cold' if cold else 'warm'})"] = figures
                print(
                    f"{name:28} {'cold' if cold else 'warm':5} {figures['p50_ms']:8} "
                    f"{figures['p95_ms']:8} {figures['requests_per_s']:8}"
                )
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "public_pages.json").write_text(json.dumps(results, indent=2))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
