"""The benchmark harness: every main page of each kind of person, against the floor.

    .venv/bin/python bench/harness.py --scale 1            # generate (once), serve, measure
    .venv/bin/python bench/harness.py --scale 10 --runs 2  # ten times the data, two runs
    .venv/bin/python bench/harness.py --compare A.json B.json
    .venv/bin/python bench/harness.py --web 2 --celery 2    # the scale path: two web processes
                                                            # behind nginx, two Celery workers

One command: it creates the PostgreSQL database ``bench_<scale>`` (on the server of
``BENCH_DATABASE_SERVER``, default ``postgres://postgres@127.0.0.1:5432``), fills it with the
generated data set of that scale (``bench/dataset.py``; kept for the next run, ``--fresh``
makes it again; ``BENCH_DATABASE`` names another database), serves the app with gunicorn on
loopback (production settings, DEBUG off, the cached template loader, ``--workers`` sync
workers, the page cache in Redis at ``BENCH_REDIS_URL``, emptied first) and measures each
page: requests per second, p50 and p95 latency, database queries per request (counted by the
server, ``bench/settings.py``), the size of the page and the workers' peak memory (RSS), with
each page's throughput as a ratio of ``/robots.txt``'s in the same run. Public pages are
measured cached (as a visitor gets them) and uncached (a session cookie makes the page cache
step aside; the view renders, one query looks the session up). Signed-in people use sessions
made for them (staff ones verified).

With ``--web N`` (N > 1) it starts N gunicorn processes on the ports after ``BENCH_PORT`` and
nginx (Debian's, ``/usr/sbin/nginx``) on ``BENCH_PORT`` in front of them, as
docs/deployment.md's "Scale path" describes, and ``--celery N`` starts N Celery workers on the
same Redis: sessions live in PostgreSQL, the cache, the login throttle and the broker in Redis,
the open-data build's lock in PostgreSQL, so any process serves any person. The result notes
how many requests each web process served (nginx's ``X-Bench-Upstream`` header) and which
workers answered a ping.

Results go to ``bench/results/<scale>x-<time>.json`` (not committed: they belong to the
machine); ``--compare`` prints two of them side by side. Speed is read, never asserted.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
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
RESULTS = ROOT / "bench" / "results"
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PORT = int(os.environ.get("BENCH_PORT", "8714"))
# Each page is measured for about this long (at least MIN_REQUESTS, at most MAX_REQUESTS).
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS_PER_PAGE", "4"))
MIN_REQUESTS, MAX_REQUESTS = 12, 2000
ANONYMOUS_SESSION = "bench-no-such-session"


def database_name(scale: int) -> str:
    """The data set's database: ``bench_<scale>``, or ``BENCH_DATABASE`` (another checkout)."""
    return os.environ.get("BENCH_DATABASE") or f"bench_{scale}"


def environment(scale: int, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"{SERVER}/{database_name(scale)}",
        REDIS_CACHE_URL=REDIS,
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="memory",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(RESULTS / f"media-{scale}x"),
        STATIC_ROOT=str(RESULTS / "static"),
        BENCH_COUNT_QUERIES="1",
        **extra,
    )
    return env


def prepare_database(scale: int, fresh: bool) -> None:
    import psycopg

    name = database_name(scale)
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def get(path: str, cookie: str | None) -> tuple[float, int, int, int]:
    """(seconds, status, bytes, queries) of one GET."""
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    queries = int(response.getheader("X-Bench-Queries", "-1"))
    upstream = response.getheader("X-Bench-Upstream")
    if upstream:
        UPSTREAMS[upstream] = UPSTREAMS.get(upstream, 0) + 1
    connection.close()
    return elapsed, response.status, len(body), queries


UPSTREAMS: dict[str, int] = {}


def workers_peak_rss_mb(masters: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among the gunicorn masters' workers."""
    peak = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() in {str(m) for m in masters} and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]))
    return round(peak / 1024, 1)


def measure(page: dict, cookie: str | None, concurrency: int, masters: list[int]) -> dict:
    path = page["path"]
    # Warm up (the worker's imports, the page cache for cached pages) and estimate the cost.
    samples = [get(path, cookie) for _ in range(3)]
    status, size, queries = samples[-1][1], samples[-1][2], samples[-1][3]
    if status != 200:
        return {"status": status, "bytes": size, "queries": queries}
    # Then every client keeps one request in flight until the page's time is up (a page of
    # seconds is measured a few times only).
    deadline = time.perf_counter() + SECONDS_PER_PAGE
    slowest = max(sample[0] for sample in samples)
    minimum = MIN_REQUESTS if slowest < 1 else concurrency

    def client(_n):
        done = []
        while time.perf_counter() < deadline or len(done) * concurrency < minimum:
            done.append(get(path, cookie))
            if len(done) * concurrency >= MAX_REQUESTS:
                break
        return done

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        results = [r for done in pool.map(client, range(concurrency)) for r in done]
    elapsed = time.perf_counter() - started
    count = len(results)
    latencies = sorted(r[0] for r in results)
    bad = [r[1] for r in results if r[1] != 200]
    return {
        "status": bad[0] if bad else 200,
        "requests": count,
        "req_s": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, 1),
        "queries": queries,
        "bytes": size,
        "rss_mb": workers_peak_rss_mb(masters),
    }


NGINX = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream web {{
        least_conn;
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            client_max_body_size 25m;
            add_header X-Bench-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def serve(scale: int, workers: int, webs: int = 1, broker: bool = False) -> list[subprocess.Popen]:
    """The gunicorn process(es) and, for several, nginx in front of them on PORT; the first
    items are the gunicorn masters. With ``broker``, tasks go to the Celery workers."""
    env = environment(scale, **({"CELERY_BROKER_URL": broker_url()} if broker else {}))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if webs == 1:
        return [gunicorn(env, PORT, workers)]
    ports = [PORT + n for n in range(1, webs + 1)]
    processes = [gunicorn(env, port, workers) for port in ports]
    folder = RESULTS / f"nginx-{PORT}"
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX.format(
            folder=folder,
            port=PORT,
            servers="\n".join(f"        server 127.0.0.1:{port};" for port in ports),
        )
    )
    processes.append(
        subprocess.Popen(
            ["/usr/sbin/nginx", "-c", str(conf), "-p", str(folder), "-g", "daemon off;"]
        )
    )
    wait_until_up(processes, PORT)
    return processes


def wait_until_up(processes: list[subprocess.Popen], port: int) -> None:
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt", headers={"Host": "127.0.0.1"})
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    for process in processes:
        process.terminate()
    raise RuntimeError(f"nothing answers on port {port}")


def celery_workers(scale: int, count: int) -> list[subprocess.Popen]:
    """Celery workers on the harness's Redis (broker database next to the cache's)."""
    env = environment(scale, CELERY_BROKER_URL=broker_url())
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "-n",
                f"bench{n}@%h",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(1, count + 1)
    ]


def broker_url() -> str:
    base, _, database = REDIS.rpartition("/")
    return f"{base}/{int(database or 0) + 1}"


def ping_workers(scale: int) -> list[str]:
    """The names of the Celery workers that answer a ping (given a few seconds to start)."""
    env = environment(scale, CELERY_BROKER_URL=broker_url())
    for _ in range(30):
        answer = subprocess.run(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "inspect",
                "ping",
                "--json",
                "-t",
                "2",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            names = sorted(json.loads(answer.stdout.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            names = []
        if names:
            return names
        time.sleep(1)
    return []


def gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    wait_until_up([server], port)
    return server


def print_table(result: dict) -> None:
    runs = len(result["runs"])
    print(
        f"\n{result['scale']}× data, {result['workers']} workers, "
        f"{result['concurrency']} at a time, {runs} run(s); req/s and ratio per run"
    )
    head = f"{'who':16} {'page':22} " + " ".join(
        f"{'req/s':>7} {'ratio':>6} {'p50':>6} {'p95':>6}" for _ in range(runs)
    )
    print(head + f" {'queries':>7} {'KB':>7} {'RSS MB':>7}")
    for n, page in enumerate(result["pages"]):
        cells = []
        last = {}
        for run in result["runs"]:
            figures = run[n]
            last = figures
            if figures.get("status") != 200:
                cells.append(f"{'HTTP ' + str(figures.get('status')):>29}")
                continue
            cells.append(
                f"{figures['req_s']:7} {figures['ratio'] * 100:5.1f}% "
                f"{figures['p50_ms']:6} {figures['p95_ms']:6}"
            )
        print(
            f"{page['who'][:16]:16} {page['name'][:22]:22} "
            + " ".join(cells)
            + f" {last.get('queries', ''):>7} {last.get('bytes', 0) / 1024:7.1f}"
            + f" {last.get('rss_mb', ''):>7}"
        )


def run(args) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    prepare_database(args.scale, args.fresh)
    plan_file = RESULTS / f"plan-{args.scale}x.json"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.dataset", "--scale", str(args.scale), "--plan", plan_file],
        cwd=ROOT,
        env=environment(args.scale),
        check=True,
    )
    print(f"data set ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    plan = json.loads(plan_file.read_text())
    sessions = {**plan["sessions"], "anonymous": ANONYMOUS_SESSION}
    pages = [
        p
        for p in plan["pages"]
        if not args.only or p["who"] == "floor" or any(o in p["name"] for o in args.only)
    ]
    flush_cache()
    processes = serve(args.scale, args.workers, args.web, broker=args.celery > 0)
    masters = [p.pid for p in processes[: args.web]]
    workers = celery_workers(args.scale, args.celery)
    processes += workers
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "scale": args.scale,
        "workers": args.workers,
        "web_processes": args.web,
        "concurrency": args.concurrency,
        "commit": commit,
        "at": datetime.datetime.now().isoformat(timespec="seconds"),
        "pages": pages,
        "runs": [],
    }
    try:
        for number in range(args.runs):
            figures = []
            for page in pages:
                cookie = sessions.get(page.get("persona")) if page.get("persona") else None
                figures.append(measure(page, cookie, args.concurrency, masters))
                print(
                    f"run {number + 1}: {page['who']} {page['name']}: {figures[-1]}",
                    file=sys.stderr,
                )
            floor = next(
                f for p, f in zip(pages, figures, strict=True) if p["name"] == "robots.txt"
            )
            for f in figures:
                if f.get("status") == 200:
                    f["ratio"] = round(f["req_s"] / floor["req_s"], 4)
            result["runs"].append(figures)
        if args.celery:
            result["celery_workers"] = ping_workers(args.scale)
        result["served_by"] = dict(UPSTREAMS)
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    out = RESULTS / f"{args.scale}x-{time.strftime('%Y%m%d-%H%M%S')}{args.label}.json"
    out.write_text(json.dumps(result, indent=2))
    print_table(result)
    if result.get("served_by"):
        print(f"requests per web process: {result['served_by']}")
    if args.celery:
        print(f"Celery workers answering: {result.get('celery_workers')}")
    print(f"\nsaved {out.relative_to(ROOT)}")
    return out


def compare(first: Path, second: Path) -> None:
    a, b = (json.loads(Path(name).read_text()) for name in (first, second))

    def best(result, n):
        runs = [run[n] for run in result["runs"] if run[n].get("status") == 200]
        return max(runs, key=lambda f: f["req_s"]) if runs else {}

    index_b = {(p["who"], p["name"]): n for n, p in enumerate(b["pages"])}
    print(
        f"A = {first} ({a['scale']}×, {a['commit']})\nB = {second} ({b['scale']}×, {b['commit']})"
    )
    print(
        f"{'who':16} {'page':22} {'A req/s':>8} {'B req/s':>8} {'A ratio':>8} {'B ratio':>8} "
        f"{'A p95':>7} {'B p95':>7} {'A q':>4} {'B q':>4} {'A KB':>7} {'B KB':>7}"
    )
    for n, page in enumerate(a["pages"]):
        m = index_b.get((page["who"], page["name"]))
        fa = best(a, n)
        fb = best(b, m) if m is not None else {}
        print(
            f"{page['who'][:16]:16} {page['name'][:22]:22} "
            f"{fa.get('req_s', '-'):>8} {fb.get('req_s', '-'):>8} "
            f"{fa.get('ratio', 0) * 100:7.1f}% {fb.get('ratio', 0) * 100:7.1f}% "
            f"{fa.get('p95_ms', '-'):>7} {fb.get('p95_ms', '-'):>7} "
            f"{fa.get('queries', '-'):>4} {fb.get('queries', '-'):>4} "
            f"{fa.get('bytes', 0) / 1024:7.1f} {fb.get('bytes', 0) / 1024:7.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, choices=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=2, help="measure every page this many times")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--web", type=int, default=1, help="gunicorn processes (nginx if > 1)")
    parser.add_argument("--celery", type=int, default=0, help="Celery workers to start")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="generate the data set again")
    parser.add_argument("--only", nargs="*", help="measure only pages whose name contains these")
    parser.add_argument("--label", default="", help="added to the result file's name")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        run(args)


if __name__ == "__main__":
    main()
