"""Celery is wired to Django's settings: a broker when REDIS_URL is set, in-process otherwise."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
import django
django.setup()
from config import celery_app
from celery import shared_task

@shared_task
def add(a, b):
    return a + b

conf = celery_app.conf
print(json.dumps({
    "eager": conf.task_always_eager,
    "broker": conf.broker_url,
    "acks_late": conf.task_acks_late,
    "result": add.delay(2, 3).get(timeout=5) if conf.task_always_eager else None,
}))
"""


def probe(**env) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_broker_tasks_run_in_process():
    conf = probe()
    assert conf["eager"] is True
    assert conf["result"] == 5


def test_with_redis_tasks_go_to_the_broker():
    conf = probe(REDIS_URL="redis://127.0.0.1:6379/0")
    assert conf["eager"] is False
    assert conf["broker"] == "redis://127.0.0.1:6379/0"
    assert conf["acks_late"] is True
