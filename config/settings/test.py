"""Test settings: PostgreSQL always (DATABASE_URL overrides the local default)."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/grantsprogramme")
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The in-memory outbox, except in the worker process the worker tests start
# (tests/notifications/conftest.py): it mails a test SMTP server, through EMAIL_BACKEND=smtp.
if not os.environ.get("CELERY_TEST_KEY_PREFIX"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Task tests start their own worker with a broker; everything else runs tasks in-process.
# CELERY_EAGER=0 (set for the worker those tests start) keeps the broker.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") != "0"
# The worker tests give their worker a Redis key prefix of its own (no clash with another test
# run on the same Redis), and a short visibility timeout swept every second, so that a task
# whose worker was killed is handed out again within seconds.
if os.environ.get("CELERY_TEST_KEY_PREFIX"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "global_keyprefix": os.environ["CELERY_TEST_KEY_PREFIX"],
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "4")),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,  # noqa: F405 (the folder, unless MEDIA_STORAGE=s3)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Public content changes in tests do not rebuild the open-data files: the tests that want
# them build them (tests/public/test_opendata.py).
OPEN_DATA_REBUILD_DELAY = None
