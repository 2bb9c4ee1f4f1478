"""Settings shared by every environment.

Everything that differs between machines comes from environment variables; the README lists
them. local.py, production.py and test.py only override what they must.
"""

import os
from decimal import Decimal
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# How many reverse proxies stand in front of the app and append to X-Forwarded-For (1 for the
# nginx of docs/deployment.md); the visitor's address is read through them (core.network).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    # django.contrib.admin, whose admin.site is the back office's (core.admin_site).
    "core.admin_apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # The search index's vector columns (public.models); inert on SQLite.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "bootstrap",
    # Two factors for staff (see "Two factors" below).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The project's apps, bottom layer first (see docs/architecture.md).
    "core",
    "notifications",
    "programme",
    "organisations",
    "grants",
    "reports",
    "public",
    "portal",
    "secretariat",
    "demo",
    "api",
    # The API's documentation page and its assets (Swagger UI, served by the app).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.browsers.RememberLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RejectNulMiddleware",
    "portal.middleware.StaffTwoFactorMiddleware",
    "portal.middleware.PersonalReadingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy on every response (Django's CSP middleware): scripts, styles, fonts
# and requests only from the site itself, so no inline <script>, <style>, style="" or on*=
# handler runs anywhere (templates/ keeps them in static/; tests/test_csp.py checks every page
# type). Bootstrap's CSS draws its form icons as data: images. No nonce: nothing inline needs
# one, and the public page cache would replay it. A response that sets its own policy keeps it
# (core.files.private_file_response sends "default-src 'none'; sandbox").
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# The quick start uses a SQLite file; tests and production set DATABASE_URL to PostgreSQL.
# DATABASE_CONN_MAX_AGE keeps a process's connection open between requests (production keeps
# it ten minutes: opening one costs more than many a page's queries); the health check makes
# sure a kept connection still answers before a request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
# Invitation links stay valid this long (days); password-reset links (seconds) likewise.
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
# A grantee's confirmation of the amount received that differs from the payment by more than
# this percentage is flagged for the secretariat (grants.services.payments).
PAYMENT_RECEIVED_TOLERANCE_PERCENT = Decimal(
    os.environ.get("PAYMENT_RECEIVED_TOLERANCE_PERCENT", "2")
)
# The retention schedule (secretariat.services.retention, the daily job "Retention of personal
# data"): declined applications are anonymised this many years after the decision; drafts never
# submitted are deleted this many days after their last change.
RETENTION_DECLINED_YEARS = int(os.environ.get("RETENTION_DECLINED_YEARS", "5"))
RETENTION_DRAFT_DAYS = int(os.environ.get("RETENTION_DRAFT_DAYS", "365"))

# The secretariat dashboard counts a review as overdue this many days after it was assigned.
REVIEW_DUE_DAYS = int(os.environ.get("REVIEW_DUE_DAYS", "21"))
# The secretariat dashboard's figures are drawn once for everyone and kept this long at most
# (a save of a row they count makes them stale at once: secretariat.dashboard_cache); 0: never.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
# Back-office exports (CSV, XLSX) of more rows than this are written by the worker, which
# notifies the person with a link; the file can be fetched for EXPORT_KEEP_DAYS days.
EXPORT_ASYNC_THRESHOLD = int(os.environ.get("EXPORT_ASYNC_THRESHOLD", "5000"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))

# Two factors (django-otp): staff and superusers set up an authenticator app (TOTP) with ten
# single-use recovery codes, and give a code after the password before any signed-in page, the
# back office included (portal.middleware, organisations.twofactor). Each wrong code doubles the
# wait before the next try on that device (1, 2, 4… seconds). The issuer names the account in
# the app: give a test site another name than production's.
OTP_TOTP_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Initiatives Programme")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Absolute address of the site, for links in emails (sent outside any request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site's own name, above every programme: the header, page titles, the back office and the
# emails that are not a programme's. Translated where the catalogues know it.
SITE_NAME = os.environ.get("SITE_NAME", gettext_noop("Support. Don't Punish"))

# Open data (public.opendata, the data page, the API). Grant identifiers of the 360Giving file
# start with the publisher's 360Giving prefix; IATI's reporting organisation is the publisher
# (its org-id, name and IATI organisation type); the files are published under the licence.
OPEN_DATA_GRANT_PREFIX = os.environ.get("OPEN_DATA_GRANT_PREFIX", "360G-example")
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-EXAMPLE-PROGRAMME")
IATI_REPORTING_ORG_NAME = os.environ.get("IATI_REPORTING_ORG_NAME", "Initiatives Programme")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "21")
# Seconds between a change to public content and the rebuild of the files it starts (changes
# meanwhile ride along); empty: only the nightly job rebuilds them.
_rebuild_delay = os.environ.get("OPEN_DATA_REBUILD_DELAY", "300").strip()
OPEN_DATA_REBUILD_DELAY = int(_rebuild_delay) if _rebuild_delay else None
# Audit dossiers of this many initiatives or more are built by the worker and their link
# emailed (secretariat.dossiers); fewer are sent at once.
DOSSIER_BACKGROUND_FROM = int(os.environ.get("DOSSIER_BACKGROUND_FROM", "5") or 5)
# The read-only API (/api/v1/): requests per client address (core.network) and period.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/m")

# Languages of the public site and of the portal. English is the reference language of the
# code; content written by the secretariat is translated with django-modeltranslation.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es", "pt", "ru")
# The last resort of a missing translation, after CONTENT_FALLBACK_LANGUAGES (core.translation).
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "es", "pt", "ru")


def content_fallbacks(value: str) -> dict[str, tuple[str, ...]]:
    """Where public content missing in a visitor's language is read from, per language: the
    visitor's language, then English, then the text's original language ("original"), unless
    ``value`` (``ru=ru,en,original;pt=pt,es,en,original``) says otherwise for a language."""
    chains = {code: (code, "en", "original") for code in MODELTRANSLATION_LANGUAGES}
    for part in value.split(";"):
        code, _sep, chain = part.partition("=")
        if code.strip() and chain.strip():
            chains[code.strip()] = tuple(item.strip() for item in chain.split(",") if item.strip())
    return chains


CONTENT_FALLBACK_LANGUAGES = content_fallbacks(os.environ.get("CONTENT_FALLBACK_LANGUAGES", ""))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Front-end files come from packages and are served by the app itself: Bootstrap from PyPI
# (django-bootstrap-static), jQuery UI for the admin's translation tabs from npm.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/jquery-ui", BASE_DIR / "node_modules" / "jquery-ui" / "dist"),
]
# modeltranslation reads these two un-prefixed names; both point at local files (no CDN).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Largest file (bytes) anyone may upload (an application's document, a report's file or photo);
# bigger uploads are refused with a message.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Largest image (width × height, in pixels) anyone may upload (report photos, cover photos):
# refused from its header before it is decoded, since a small file can decode to gigabytes.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(40_000_000)))
# Uploaded files (core/storage.py): the folder MEDIA_ROOT by default; MEDIA_STORAGE=s3 keeps
# them in two buckets of an S3-compatible service instead, shared by every web and worker
# machine: S3_PRIVATE_BUCKET (application and report files; only the app's key reads it) and
# S3_PUBLIC_BUCKET (covers, photos, thumbnails, open-data files; readable by anyone, linked from
# pages at S3_PUBLIC_URL when set, else at the service's own address).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "core.storage.MediaS3Storage",
        "OPTIONS": {
            "public_bucket": os.environ["S3_PUBLIC_BUCKET"],
            "private_bucket": os.environ["S3_PRIVATE_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", ""),
            "region_name": os.environ.get("S3_REGION", ""),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "public_url": os.environ.get("S3_PUBLIC_URL", ""),
            # "path" for most self-hosted services (SeaweedFS, MinIO), "virtual" for AWS.
            "addressing_style": os.environ.get(
                "S3_ADDRESSING_STYLE", "path" if os.environ.get("S3_ENDPOINT_URL") else "virtual"
            ),
        },
    }
    # Pages show public images (covers, photos, thumbnails) from the public bucket.
    _public = urlsplit(
        os.environ.get("S3_PUBLIC_URL")
        or os.environ.get("S3_ENDPOINT_URL")
        or "https://s3.amazonaws.com"
    )
    _host = _public.netloc
    if not os.environ.get("S3_PUBLIC_URL") and (
        MEDIA_STORAGE_BACKEND["OPTIONS"]["addressing_style"] == "virtual"
    ):
        _host = f"{os.environ['S3_PUBLIC_BUCKET']}.{_host}"
    SECURE_CSP["img-src"].append(f"{_public.scheme}://{_host}")
elif MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE={MEDIA_STORAGE!r}: use 'filesystem' (the default) or 's3'."
    )
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
# Django's form renderer with its commonest widget templates written in Python: the same HTML,
# a fraction of the time on pages of many fields (core.renderers, issue 14).
FORM_RENDERER = "core.renderers.FastRenderer"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email (Django 6.1 MAILERS): the console in the quick start; EMAIL_BACKEND=file writes a
# file outbox (EMAIL_FILE_PATH), EMAIL_BACKEND=smtp sends through EMAIL_HOST.
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND_NAME = os.environ.get("EMAIL_BACKEND", "console")
if EMAIL_BACKEND_NAME not in EMAIL_BACKENDS:
    raise ValueError(f"EMAIL_BACKEND must be one of {', '.join(EMAIL_BACKENDS)}.")
_mailer_options: dict[str, object] = {}
if EMAIL_BACKEND_NAME == "file":
    _mailer_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "outbox"))}
elif EMAIL_BACKEND_NAME == "smtp":
    _mailer_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 30,
    }
MAILERS = {
    "default": {"BACKEND": EMAIL_BACKENDS[EMAIL_BACKEND_NAME], "OPTIONS": _mailer_options},
}


def email_address(value: str) -> str:
    """``Name <address>`` as a mail header must have it: a name with a full stop or an
    apostrophe ("Support. Don't Punish") quoted, which people rarely type in an environment
    variable; SMTP refuses the unquoted form."""
    name, address = parseaddr(value)
    return str(Address(display_name=name, addr_spec=address)) if name else address


DEFAULT_FROM_EMAIL = email_address(
    os.environ.get("DEFAULT_FROM_EMAIL", "Support. Don't Punish <noreply@localhost>")
)

# Celery: with REDIS_URL (or CELERY_BROKER_URL) set, tasks go to a worker; without a broker,
# tasks run in-process so the quick start needs nothing else.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# Nothing reads task results: none are stored unless a backend is named. (A Redis result
# backend also subscribes to Redis on every send, and retried that for 20 s with Redis down.)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
# A broker that does not answer must not hold up the request that queues a task: one quick
# try, then the row stays queued and the sweep (NOTIFICATION_REQUEUE_AFTER) hands it over.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks use no broker; naming the in-memory one keeps kombu from guessing an
    # AMQP server on localhost (and saying so on every start).
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task taken by a worker that dies (acks_late) goes back to the queue once this many seconds
# have passed without an ack. It must exceed the longest task and the longest retry countdown
# (NOTIFICATION_RETRY_BACKOFF * 2**5, capped at an hour), or Redis hands that task out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "7200")),
    "socket_connect_timeout": 2,
}
# Notification emails: a mail-server error is retried after BACKOFF, 2×, 4×… seconds, up to
# MAX_ATTEMPTS sends in all; then the notification is recorded as failed.
NOTIFICATION_RETRY_BACKOFF = float(os.environ.get("NOTIFICATION_RETRY_BACKOFF", "30"))
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "6"))
# A notification still queued and never tried this many seconds after it was made lost its
# task (the broker was down when it was queued): beat's sweep, every
# NOTIFICATION_SWEEP_SECONDS (config/celery.py), hands it to the worker again. With both at 30
# a notification made during a Redis outage goes out about a minute after Redis returns. (A
# row still waiting its turn in a long queue may be handed over twice: the send is once only.)
NOTIFICATION_REQUEUE_AFTER = float(os.environ.get("NOTIFICATION_REQUEUE_AFTER", "30"))


def redis_database(url: str, number: int) -> str:
    """``url`` with another database number: the cache's own, next to the broker's."""
    parts = urlsplit(url)
    current = parts.path.strip("/") or "0"
    return urlunsplit(parts._replace(path=f"/{int(current) + number}"))


# The cache (public pages, login-failure counts) is apart from the broker: its own Redis in
# docker-compose (with a memory limit and LRU eviction), by default the next database of
# REDIS_URL. Everything in it can be rebuilt, so with Redis out the site answers uncached
# (core.cache.FailSafeRedisCache) rather than failing; short timeouts keep a Redis that hangs
# from holding requests up.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL") or (
    redis_database(REDIS_URL, 1) if REDIS_URL else ""
)
CACHES = {
    "default": (
        {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry_after": 5,
            },
        }
        if REDIS_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

COUNTRIES_FIRST = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own loggers print through the root handler only (no doubled lines).
    "loggers": {
        "django": {"handlers": [], "level": os.environ.get("LOG_LEVEL", "INFO")},
        # WeasyPrint reports each step of every PDF at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
