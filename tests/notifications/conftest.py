"""Fixtures for the notification tests: a test SMTP server, and real Celery workers on Redis.

``start_worker()`` launches ``celery -A config worker --pool=prefork -c 2`` as a subprocess with
the test settings, on the same test database as pytest (so these tests are transactional:
the worker sees only committed rows), a Redis key prefix of this test's own, and the
test SMTP server as its mail server. The test process sends its tasks to the same broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from django.db import connection
from kombu import pools as kombu_pools

from config import celery_app

from .smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
# A database number of its own on the shared Redis, and a key prefix per test on top.
REDIS_DB = os.environ.get("CELERY_TEST_REDIS_DB", "14")
VISIBILITY_TIMEOUT = 4
RETRY_BACKOFF = 0.5
MAX_ATTEMPTS = 3


def broker_url() -> str:
    parts = urlsplit(REDIS_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


def test_database_url() -> str:
    """DATABASE_URL of the database pytest runs on (test_<name>), for the worker."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"The Celery worker did not start:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no goodbye, no ack."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGQUIT)  # cold shutdown: do not wait for tasks
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def celery_broker():
    """Point this process's Celery app at a key prefix of this test's own on Redis (the test
    settings run tasks in-process otherwise); clean up the keys afterwards."""
    prefix = f"grants-test-{uuid.uuid4().hex[:12]}:"
    with celery_using(broker_url(), prefix):
        yield {"prefix": prefix, "url": broker_url()}


@contextmanager
def celery_using(url: str, prefix: str):
    """This process's Celery app sends its tasks to ``url`` under ``prefix``, then goes back."""
    options = {
        "global_keyprefix": prefix,
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 2,
    }
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis does not answer at {url}: {error}")
    conf = celery_app.conf
    saved = {
        key: conf[key]
        for key in (
            "task_always_eager",
            "broker_url",
            "broker_transport_options",
            "result_backend",
        )
    }
    conf.update(
        task_always_eager=False,
        broker_url=url,
        broker_transport_options=options,
        result_backend=None,
    )
    _reset_connections()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_connections()
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=3)
            keys = list(client.scan_iter(match=f"{prefix}*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass  # a Redis of the test's own, stopped by now


def _reset_connections() -> None:
    # The app keeps a connection pool (and a producer pool on it) for the broker it first
    # talked to, in kombu's process-wide registries: close them *and* forget them, so that the
    # next task goes to the broker configured now (a pool closed but still registered would be
    # handed out again, and refuse its next connection: "Acquire on closed pool").
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def start_worker(celery_broker, smtp_sink, tmp_path, transactional_db):
    """``start_worker()`` starts one more worker (waits until it is ready) and returns it;
    ``start_worker("-B", env={...})`` passes more arguments (``-B``: beat inside the worker) and
    environment. Every worker started is stopped when the test ends, before the database is
    flushed."""
    workers: list[Worker] = []
    base_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_RESULT_BACKEND", "CELERY_BROKER_URL", "REDIS_URL"}
    }
    base_env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=test_database_url(),
        CELERY_EAGER="0",
        CELERY_BROKER_URL=celery_broker["url"],
        CELERY_TEST_KEY_PREFIX=celery_broker["prefix"],
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        NOTIFICATION_RETRY_BACKOFF=str(RETRY_BACKOFF),
        NOTIFICATION_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
        PYTHONUNBUFFERED="1",
    )

    def start(*more_args: str, env: dict | None = None) -> Worker:
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=2",
                    "--hostname",
                    f"test-{uuid.uuid4().hex[:8]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                    *more_args,
                ],
                cwd=ROOT,
                env={**base_env, **(env or {})},
                stdout=output,
                stderr=subprocess.STDOUT,
                # Its own process group, so that a kill reaches the pool processes too.
                start_new_session=True,
            )
        worker = Worker(process, log)
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(check, timeout: float = 30, interval: float = 0.2, message: str = ""):
    """Poll ``check()`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message or f"Still not true after {timeout} s: {check}")
