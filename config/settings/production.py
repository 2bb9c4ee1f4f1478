"""Production: every secret from the environment, HTTPS, hashed static files."""

import os

from django.core.exceptions import ImproperlyConfigured

# Production sends real mail unless told otherwise (base.py defaults to the console).
os.environ.setdefault("EMAIL_BACKEND", "smtp")

from .base import *  # noqa: E402, F403
from .base import DATABASES, SECRET_KEY, env_bool  # noqa: E402

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False
# Persistent connections: each gunicorn sync worker (and each Celery worker process) keeps one
# connection and checks it before reuse (DATABASE_CONN_HEALTH_CHECKS), so PostgreSQL's
# max_connections must cover the web workers of every web process, Celery's concurrency and
# beat (docs/deployment.md, "Database connections").
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
